// Saves a Blob the page holds as a file: a temporary object URL behind an <a download>. (The
// server's CSP needs no blob: source for this: a download is not a fetch or a frame.)
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has its own copy once started; give slow browsers a minute anyway.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
