// Screenshots travel as data URLs (that is how the offline queue stores them) and are
// decoded here without fetch(), which a host page's connect-src may block for data: URLs.

export function dataUrlToBlob(dataUrl) {
  const [header, data] = dataUrl.split(',');
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: header.slice(5, header.indexOf(';')) });
}
