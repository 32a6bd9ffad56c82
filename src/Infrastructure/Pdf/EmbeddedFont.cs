using System.Globalization;
using System.Text;

namespace ECase.Infrastructure.Pdf;

/// <summary>
/// A TrueType font as one document uses it: a Type0 font with Identity-H encoding over a CIDFontType2 whose embedded program is
/// a subset of the font. Every distinct character gets a CID (1, 2, … in order of first use) and the subset holds its glyph at
/// the same glyph id (CIDToGIDMap /Identity), so the CIDSet simply lists CIDs 0 … n-1 and the widths come from the subset's
/// own metrics. A character the font lacks is drawn with the replacement glyph (U+FFFD, else '?') under its own CID, and the
/// ToUnicode CMap still maps that CID to the original character, so text extraction and search see the real text.
/// </summary>
internal sealed class EmbeddedFont(TrueTypeFont font, string resourceName)
{
    /// <summary>Objects written by <see cref="Write"/>: Type0, CIDFont, descriptor, font file, ToUnicode, CIDSet.</summary>
    public const int ObjectCount = 6;

    private const int MaxCid = 0xFFFF;

    private readonly Dictionary<Rune, int> _cids = [];
    private readonly List<(Rune Character, int Glyph)> _byCid = [(default, 0)]; // CID 0: .notdef, never shown
    private readonly int _fallback = font.GlyphOf(0xFFFD) is var g and > 0 ? g : font.GlyphOf('?');
    private readonly HashSet<Rune> _missing = [];

    public string ResourceName { get; } = resourceName;

    public TrueTypeFont Font { get; } = font;

    public bool IsUsed => _byCid.Count > 1;

    /// <summary>Distinct characters shown with the replacement glyph because the font has none for them.</summary>
    public IReadOnlyCollection<Rune> Missing => _missing;

    /// <summary>The width of <paramref name="text"/> at <paramref name="size"/> points (no kerning).</summary>
    public double Width(string text, double size)
    {
        var units = 0.0;
        foreach (var rune in text.EnumerateRunes())
            units += Font.Advance(GlyphFor(rune));
        return units * size / 1000;
    }

    /// <summary>The text as a PDF hex string of two-byte CIDs, for Tj.</summary>
    public string Encode(string text)
    {
        var sb = new StringBuilder(text.Length * 4 + 2).Append('<');
        foreach (var rune in text.EnumerateRunes())
            sb.Append(Cid(rune).ToString("X4", CultureInfo.InvariantCulture));
        return sb.Append('>').ToString();
    }

    /// <summary>Writes the six font objects; the Type0 font is <paramref name="type0"/>, the others follow it.</summary>
    public void Write(PdfFileWriter pdf, int type0)
    {
        int cidFont = type0 + 1, descriptor = type0 + 2, fontFile = type0 + 3, toUnicode = type0 + 4, cidSet = type0 + 5;
        var (program, glyphs) = Font.Subset(_byCid.Select(c => c.Glyph).ToList());
        var name = TrueTypeFont.SubsetTag(glyphs) + "+" + Font.PostScriptName;
        pdf.WriteObject(type0,
            $"<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H " +
            $"/DescendantFonts [{PdfFileWriter.Ref(cidFont)}] /ToUnicode {PdfFileWriter.Ref(toUnicode)} >>");
        pdf.WriteObject(cidFont,
            $"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} " +
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> " +
            $"/FontDescriptor {PdfFileWriter.Ref(descriptor)} /CIDToGIDMap /Identity {Widths(glyphs)} >>");
        double Scale(int units) => units * 1000.0 / Font.UnitsPerEm;
        var box = Font.BoundingBox;
        var flags = 4 | (Font.IsFixedPitch ? 1 : 0); // symbolic: the glyphs are reached by CID, not by a standard Latin encoding
        pdf.WriteObject(descriptor,
            $"<< /Type /FontDescriptor /FontName /{name} /Flags {flags.ToString(CultureInfo.InvariantCulture)} " +
            $"/FontBBox [{PdfSyntax.Number(Scale(box.XMin))} {PdfSyntax.Number(Scale(box.YMin))} {PdfSyntax.Number(Scale(box.XMax))} {PdfSyntax.Number(Scale(box.YMax))}] " +
            $"/ItalicAngle {PdfSyntax.Number(Font.ItalicAngle)} /Ascent {PdfSyntax.Number(Scale(Font.Ascender))} /Descent {PdfSyntax.Number(Scale(Font.Descender))} " +
            $"/CapHeight {PdfSyntax.Number(Scale(Font.CapHeight))} /StemV 80 /FontFile2 {PdfFileWriter.Ref(fontFile)} /CIDSet {PdfFileWriter.Ref(cidSet)} >>");
        pdf.WriteFlateStream(fontFile, " /Length1 " + program.Length.ToString(CultureInfo.InvariantCulture), program);
        pdf.WriteFlateStream(toUnicode, "", ToUnicodeCMap());
        pdf.WriteFlateStream(cidSet, "", CidSet(glyphs.Count));
    }

    private int GlyphFor(Rune rune) => Font.GlyphOf(rune.Value) is var g and > 0 ? g : _fallback;

    private int Cid(Rune rune)
    {
        if (_cids.TryGetValue(rune, out var cid))
            return cid;
        cid = _byCid.Count;
        if (cid > MaxCid)
            throw new InvalidOperationException("more than 65535 distinct characters in one document");
        var glyph = Font.GlyphOf(rune.Value);
        if (glyph == 0)
        {
            _missing.Add(rune);
            glyph = _fallback;
        }
        _cids.Add(rune, cid);
        _byCid.Add((rune, glyph));
        return cid;
    }

    /// <summary>Widths of all glyphs of the subset (CID = GID), in the font's own advances (PDF/A-2 6.2.11.5).</summary>
    private string Widths(IReadOnlyList<int> glyphs)
    {
        var sb = new StringBuilder("/W [0 [");
        for (var i = 0; i < glyphs.Count; i++)
        {
            if (i > 0)
                sb.Append(i % 16 == 0 ? '\n' : ' ');
            sb.Append(PdfSyntax.Number(Font.Advance(glyphs[i])));
        }
        return sb.Append("]]").ToString();
    }

    /// <summary>One bit per CID, high-order bit first: every CID of the subset is present (PDF/A-2 6.2.11.4.2).</summary>
    private static byte[] CidSet(int count)
    {
        var bits = new byte[(count + 7) / 8];
        for (var cid = 0; cid < count; cid++)
            bits[cid / 8] |= (byte)(0x80 >> (cid % 8));
        return bits;
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
                var n = _byCid[cid].Character.EncodeToUtf16(utf16);
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

/// <summary>The vendored DejaVu fonts (Resources/NOTICE.md), parsed once.</summary>
internal static class DejaVu
{
    private static readonly Lazy<TrueTypeFont> SansFont = new(() => new TrueTypeFont(Resources.Load("DejaVuSans.ttf")));
    private static readonly Lazy<TrueTypeFont> MonoFont = new(() => new TrueTypeFont(Resources.Load("DejaVuSansMono.ttf")));

    /// <summary>DejaVu Sans (Book): certificates and other set text.</summary>
    public static TrueTypeFont Sans => SansFont.Value;

    /// <summary>DejaVu Sans Mono (Book): plain text, whose columns rely on equal character widths.</summary>
    public static TrueTypeFont Mono => MonoFont.Value;
}
