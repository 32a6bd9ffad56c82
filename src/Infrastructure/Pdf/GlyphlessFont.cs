using System.Globalization;
using System.IO;
using System.Text;

namespace ECase.Infrastructure.Pdf;

/// <summary>
/// The invisible text layer's font, after Tesseract's PDF renderer: a Type0 font with Identity-H encoding over a
/// CIDFontType2 whose embedded TrueType program (Tesseract's <c>pdf.ttf</c>, Apache-2.0, see Resources/NOTICE.md) has a
/// single empty-looking glyph (GID 1, advance 1024 of 2048 units = 500/1000). Every character used in the document gets a
/// CID (1, 2, …, in order of first use); the CIDToGIDMap sends each of them to GID 1 and never to .notdef, and the
/// ToUnicode CMap sends each back to its Unicode scalar value (UTF-16, so characters outside the BMP work too).
/// </summary>
internal sealed class GlyphlessFont
{
    public const string FontName = "GlyphLessFont";

    /// <summary>Advance of every glyph, in text space units per unit of font size (DW 500 / 1000).</summary>
    public const double GlyphAdvance = 0.5;

    private const int MaxCid = 0xFFFF;

    private static readonly Lazy<byte[]> Program = new(() => Resources.Load("GlyphLessFont.ttf"));

    private readonly Dictionary<Rune, int> _cids = [];
    private readonly List<Rune> _byCid = [default]; // CID 0 is .notdef and never used

    public bool IsUsed => _byCid.Count > 1;

    /// <summary>The two-byte codes (= CIDs, Identity-H) for <paramref name="text"/>, as PDF hex digits.</summary>
    public string Encode(IEnumerable<Rune> text)
    {
        var sb = new StringBuilder();
        foreach (var rune in text)
            sb.Append(Cid(rune).ToString("X4", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    public int Cid(Rune rune)
    {
        if (_cids.TryGetValue(rune, out var cid))
            return cid;
        cid = _byCid.Count;
        if (cid > MaxCid)
            throw new InvalidOperationException("more than 65535 distinct characters in one document");
        _cids.Add(rune, cid);
        _byCid.Add(rune);
        return cid;
    }

    /// <summary>Writes the six font objects; the Type0 font is <paramref name="type0"/>, the others follow it.</summary>
    public void Write(PdfFileWriter pdf, int type0)
    {
        int cidFont = type0 + 1, descriptor = type0 + 2, fontFile = type0 + 3, toUnicode = type0 + 4, cidToGid = type0 + 5;
        pdf.WriteObject(type0,
            $"<< /Type /Font /Subtype /Type0 /BaseFont /{FontName} /Encoding /Identity-H " +
            $"/DescendantFonts [{PdfFileWriter.Ref(cidFont)}] /ToUnicode {PdfFileWriter.Ref(toUnicode)} >>");
        pdf.WriteObject(cidFont,
            $"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{FontName} " +
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> " +
            $"/FontDescriptor {PdfFileWriter.Ref(descriptor)} /DW 500 /CIDToGIDMap {PdfFileWriter.Ref(cidToGid)} >>");
        pdf.WriteObject(descriptor,
            $"<< /Type /FontDescriptor /FontName /{FontName} /Flags 5 /FontBBox [0 0 500 1000] /ItalicAngle 0 " +
            $"/Ascent 1000 /Descent -1 /CapHeight 1000 /StemV 80 /FontFile2 {PdfFileWriter.Ref(fontFile)} >>");
        var program = Program.Value;
        pdf.WriteFlateStream(fontFile, " /Length1 " + program.Length.ToString(CultureInfo.InvariantCulture), program);
        pdf.WriteFlateStream(toUnicode, "", ToUnicodeCMap());
        pdf.WriteFlateStream(cidToGid, "", CidToGidMap());
    }

    private byte[] CidToGidMap()
    {
        var map = new byte[_byCid.Count * 2]; // CID 0 -> GID 0, every other CID -> GID 1
        for (var cid = 1; cid < _byCid.Count; cid++)
            map[cid * 2 + 1] = 1;
        return map;
    }

    private byte[] ToUnicodeCMap()
    {
        var sb = new StringBuilder();
        sb.Append("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n")
          .Append("/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n")
          .Append("/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n")
          .Append("1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
        Span<char> utf16 = stackalloc char[2];
        for (var first = 1; first < _byCid.Count; first += 100) // at most 100 entries per block
        {
            var count = Math.Min(100, _byCid.Count - first);
            sb.Append(count.ToString(CultureInfo.InvariantCulture)).Append(" beginbfchar\n");
            for (var cid = first; cid < first + count; cid++)
            {
                var n = _byCid[cid].EncodeToUtf16(utf16);
                sb.Append('<').Append(cid.ToString("X4", CultureInfo.InvariantCulture)).Append("> <");
                for (var i = 0; i < n; i++)
                    sb.Append(((int)utf16[i]).ToString("X4", CultureInfo.InvariantCulture));
                sb.Append(">\n");
            }
            sb.Append("endbfchar\n");
        }
        sb.Append("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}

internal static class Resources
{
    /// <summary>An embedded resource of this folder (Pdf/Resources), by file name.</summary>
    public static byte[] Load(string fileName)
    {
        var name = "ECase.Infrastructure.Pdf.Resources." + fileName;
        using var stream = typeof(Resources).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from {typeof(Resources).Assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
