using System.Drawing;
using System.Security.Cryptography;
using System.Text;
using QRCoder;

namespace ReferralService.Links;

/// <summary>A QR code image: its bytes, media type and a strong entity tag made from the bytes.</summary>
internal sealed record QrImage(byte[] Content, string ContentType, string ETag);

/// <summary>
/// Share URLs drawn as QR codes with QRCoder: SVG (scaled to exactly size × size) or PNG (the largest whole number of
/// pixels per module that fits in size, so at most size × size), with the standard quiet zone, error correction M.
/// </summary>
internal static class QrCodes
{
    public const int MinSize = 100;
    public const int MaxSize = 2000;
    public const int DefaultSize = 300;

    public static QrImage Draw(Uri url, string format, int size)
    {
        using var data = QRCodeGenerator.GenerateQrCode(url.AbsoluteUri, QRCodeGenerator.ECCLevel.M);
        byte[] content;
        string contentType;
        if (format == "png")
        {
            // ModuleMatrix includes the quiet zone on each side.
            var pixelsPerModule = Math.Max(1, size / data.ModuleMatrix.Count);
            using var png = new PngByteQRCode(data);
            content = png.GetGraphic(pixelsPerModule);
            contentType = "image/png";
        }
        else
        {
            using var svg = new SvgQRCode(data);
            content = Encoding.UTF8.GetBytes(svg.GetGraphic(new Size(size, size)));
            contentType = "image/svg+xml";
        }
        return new QrImage(content, contentType, $"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 16))}\"");
    }
}
