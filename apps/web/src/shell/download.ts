/** Saves a blob as a file the browser downloads. */
export function download(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Downloads an export's files and returns the page's message about them:
 * `exported model.json, weights.bin: put them in a folder and run pnpm neurona COMMAND`.
 */
export function downloadExport(
  files: readonly { name: string; data: ArrayBuffer | string }[],
  command: string,
): string {
  for (const file of files) download(file.name, new Blob([file.data]));
  return `exported ${files.map((f) => f.name).join(', ')}: put them in a folder and run pnpm neurona ${command}`;
}
