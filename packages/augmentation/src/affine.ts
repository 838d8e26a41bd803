/**
 * Affine maps for image augmentation, in pixel coordinates (x = column, y = row), as
 * 3×3 row-major matrices that map an OUTPUT pixel to the INPUT point it samples, which
 * is what `tf.image.transform` (and SciPy's `affine_transform` under Keras) expects.
 * Every map turns about the image centre.
 */
export type Matrix3 = [number, number, number, number, number, number, number, number, number];

/** One image's transform parameters, in the visual sense (what happens to the content). */
export interface AffineParams {
  /** Counter-clockwise rotation of the content, degrees. */
  rotation: number;
  /** Content moved right, pixels. */
  shiftX: number;
  /** Content moved down, pixels. */
  shiftY: number;
  /** Shear angle, degrees (Keras's `shear_range` unit). */
  shear: number;
  /** Keras zoom factors: each input coordinate is the output one times the factor, so < 1 enlarges. */
  zoomX: number;
  zoomY: number;
  flipHorizontal: boolean;
  flipVertical: boolean;
}

/** The transform that changes nothing: no rotation, shift, shear or zoom, no flip. */
export const identityParams: AffineParams = {
  rotation: 0,
  shiftX: 0,
  shiftY: 0,
  shear: 0,
  zoomX: 1,
  zoomY: 1,
  flipHorizontal: false,
  flipVertical: false,
};

export function multiply(a: Matrix3, b: Matrix3): Matrix3 {
  const out = new Array<number>(9).fill(0) as Matrix3;
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += (a[r * 3 + k] as number) * (b[k * 3 + c] as number);
      out[r * 3 + c] = s;
    }
  }
  return out;
}

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/**
 * The output→input matrix of one image of `height × width`: rotation · shift · shear ·
 * zoom · flip (Keras's order), taken about the centre ((w−1)/2, (h−1)/2).
 */
export function affineMatrix(params: AffineParams, height: number, width: number): Matrix3 {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const t = radians(params.rotation);
  const s = radians(params.shear);
  // Content turned counter-clockwise on screen (y down) samples the input at R⁻¹·p.
  const rotation: Matrix3 = [Math.cos(t), -Math.sin(t), 0, Math.sin(t), Math.cos(t), 0, 0, 0, 1];
  const shift: Matrix3 = [1, 0, -params.shiftX, 0, 1, -params.shiftY, 0, 0, 1];
  const shear: Matrix3 = [Math.cos(s), 0, 0, -Math.sin(s), 1, 0, 0, 0, 1];
  const zoom: Matrix3 = [params.zoomX, 0, 0, 0, params.zoomY, 0, 0, 0, 1];
  const flip: Matrix3 = [params.flipHorizontal ? -1 : 1, 0, 0, 0, params.flipVertical ? -1 : 1, 0, 0, 0, 1];
  const toCentre: Matrix3 = [1, 0, -cx, 0, 1, -cy, 0, 0, 1];
  const fromCentre: Matrix3 = [1, 0, cx, 0, 1, cy, 0, 0, 1];
  return [fromCentre, rotation, shift, shear, zoom, flip, toCentre].reduce(multiply);
}

/** The 8 numbers of one row of `tf.image.transform`'s transforms. */
export function transformRow(m: Matrix3): number[] {
  return [m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]];
}
