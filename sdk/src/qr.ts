// QR codes of payment links, as SVG (for web pages and print) and PNG (for chat and e-mail).
// Error correction M (15% of the code may be damaged), the usual choice for on-screen payments.
import QRCode from 'qrcode';
import { MAX_LINK_LENGTH } from './links.ts';

function checked(link: string): string {
  if (link.length > MAX_LINK_LENGTH) throw new RangeError(`a link is at most ${MAX_LINK_LENGTH} characters`);
  return link;
}

/** The link's QR code as an SVG document. */
export async function linkQrSvg(link: string): Promise<string> {
  return QRCode.toString(checked(link), { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}

/** The link's QR code as PNG bytes, `scale` pixels per module. */
export async function linkQrPng(link: string, scale = 6): Promise<Uint8Array> {
  const dataUrl = await QRCode.toDataURL(checked(link), { type: 'image/png', errorCorrectionLevel: 'M', margin: 4, scale });
  const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}
