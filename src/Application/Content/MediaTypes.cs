namespace ECase.Application.Content;

/// <summary>Media types a document may have, and a check that the bytes look like what they claim to be.</summary>
public static class MediaTypes
{
    private static readonly byte[] Pdf = "%PDF-"u8.ToArray();
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] TiffLe = [0x49, 0x49, 0x2A, 0x00];
    private static readonly byte[] TiffBe = [0x4D, 0x4D, 0x00, 0x2A];
    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04];

    /// <summary>Allowed media types and the signatures their first bytes must start with (empty: any bytes).</summary>
    private static readonly Dictionary<string, byte[][]> Allowed = new(StringComparer.OrdinalIgnoreCase)
    {
        ["application/pdf"] = [Pdf],
        ["image/png"] = [Png],
        ["image/jpeg"] = [Jpeg],
        ["image/tiff"] = [TiffLe, TiffBe],
        ["text/plain"] = [],
        ["application/xml"] = [],
        ["text/xml"] = [],
        ["message/rfc822"] = [],
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = [Zip],
        ["application/vnd.oasis.opendocument.text"] = [Zip],
        // Enveloped CMS (.p7m): a signed document inside its signature; a DER SEQUENCE.
        ["application/pkcs7-mime"] = [[0x30]],
    };

    public static IEnumerable<string> All => Allowed.Keys;

    /// <summary>The media type without parameters, lower case; null when it is not allowed.</summary>
    public static string? Normalize(string? mediaType)
    {
        var bare = mediaType?.Split(';')[0].Trim().ToLowerInvariant();
        return bare is not null && Allowed.ContainsKey(bare) ? bare : null;
    }

    public static bool HeadMatches(string mediaType, ReadOnlySpan<byte> head)
    {
        var signatures = Allowed[mediaType];
        if (signatures.Length == 0) return true;
        foreach (var sig in signatures)
            if (head.StartsWith(sig)) return true;
        return false;
    }
}
