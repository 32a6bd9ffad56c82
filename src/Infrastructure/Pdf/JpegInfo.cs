namespace ECase.Infrastructure.Pdf;

/// <summary>
/// What a PDF image dictionary needs from a JPEG: size, component count and the Adobe colour transform,
/// read from the markers up to the first scan. The entropy-coded data is not decoded.
/// </summary>
internal sealed record JpegInfo(int Width, int Height, int Components, bool AdobeNoColorTransform)
{
    /// <summary>Reads the markers of <paramref name="jpeg"/>; throws <see cref="FormatException"/> when it cannot be embedded with DCTDecode.</summary>
    public static JpegInfo Parse(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
            throw new FormatException("not a JPEG image (no SOI marker)");

        int? adobeTransform = null;
        (int Width, int Height, int Components, int Precision, byte Marker)? frame = null;
        var pos = 2;
        while (true)
        {
            if (pos >= jpeg.Length)
                throw new FormatException("JPEG is truncated before its first scan");
            if (jpeg[pos] != 0xFF)
                throw new FormatException($"JPEG marker expected at byte {pos}");
            while (pos < jpeg.Length && jpeg[pos] == 0xFF)
                pos++; // fill bytes
            if (pos >= jpeg.Length)
                throw new FormatException("JPEG is truncated before its first scan");
            var marker = jpeg[pos++];
            if (marker == 0x01 || marker is >= 0xD0 and <= 0xD7)
                continue; // TEM, RSTn: no length
            if (marker == 0xD9)
                throw new FormatException("JPEG ends before its first scan");
            if (pos + 2 > jpeg.Length)
                throw new FormatException("JPEG is truncated in a marker segment");
            var length = (jpeg[pos] << 8) | jpeg[pos + 1];
            if (length < 2 || pos + length > jpeg.Length)
                throw new FormatException("JPEG is truncated in a marker segment");
            var segment = jpeg.Slice(pos + 2, length - 2);

            if (marker is >= 0xC0 and <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
            {
                if (frame is not null)
                    throw new FormatException("JPEG has more than one frame header");
                if (segment.Length < 6)
                    throw new FormatException("JPEG frame header is too short");
                frame = (Width: (segment[3] << 8) | segment[4], Height: (segment[1] << 8) | segment[2],
                         Components: segment[5], Precision: segment[0], Marker: marker);
            }
            else if (marker == 0xEE && segment.Length >= 12 && segment[..5].SequenceEqual("Adobe"u8))
            {
                adobeTransform = segment[11];
            }
            else if (marker == 0xDA)
            {
                break; // start of scan: everything the image dictionary needs is known
            }
            pos += length;
        }

        if (frame is not { } f)
            throw new FormatException("JPEG has no frame header before its first scan");
        if (f.Marker is not (0xC0 or 0xC1 or 0xC2))
            throw new FormatException($"JPEG coding process SOF{f.Marker - 0xC0} is not supported by DCTDecode (only baseline, extended and progressive Huffman)");
        if (f.Precision != 8)
            throw new FormatException($"JPEG has {f.Precision} bits per sample; only 8 are supported");
        if (f.Width <= 0 || f.Height <= 0)
            throw new FormatException("JPEG has no width or height in its frame header");
        if (f.Components is not (1 or 3))
            throw new FormatException($"JPEG has {f.Components} components; only 1 (gray) and 3 (RGB/YCbCr) are supported in a PDF/A with an sRGB output intent");
        return new JpegInfo(f.Width, f.Height, f.Components, f.Components == 3 && adobeTransform == 0);
    }
}
