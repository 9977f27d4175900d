/**
 * `attachment; filename="..."; filename*=UTF-8''...` for a user-chosen name:
 * always a download (never rendered inline by the browser), with an ASCII
 * fallback stripped of quotes, backslashes and control characters.
 */
export function attachmentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
