/** The side of the grid every picture is computed on: one prediction of 100 × 100 points a frame. */
export const GRID = 100;
