using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ECase.Infrastructure.Pdf;

namespace ECase.Pdf.Tests;

/// <summary>
/// The DejaVu subsets of the certificate and the plain-text renditions (ADR 0017), read back from the file with qpdf and
/// compared with the vendored font programs: widths (PDF/A-2 6.2.11.5), CIDSet (6.2.11.4.2), no .notdef shown (6.2.11.8),
/// every glyph the same outline as in the original font, ToUnicode for every character shown.
/// </summary>
public sealed class EmbeddedFontTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecase-fonts-").FullName;

    [Fact]
    public void Certificate_font_subset_agrees_with_dejavu_sans()
    {
        var path = Path.Combine(_dir, "certificate.pdf");
        using (var file = File.Create(path))
            new DisposalCertificateWriter().Write(DisposalCertificateTests.Data(30), file);
        AssertSubsetOf(path, "DejaVuSans.ttf");
        AssertRendersWithoutComplaint(path);
    }

    [Fact]
    public async Task Plain_text_font_subset_agrees_with_dejavu_sans_mono_also_for_characters_it_lacks()
    {
        var input = Path.Combine(_dir, "text.txt");
        await File.WriteAllTextAsync(input, ArchivalSamples.GermanLine + " Ǻǻ ﬁ ẞ Ω 中\n", new UTF8Encoding(false));
        var path = Path.Combine(_dir, "text.pdf");
        var result = await ArchivalSamples.NewMaker(TimeProvider.System).MakeAsync(input, "text/plain", "Text", path, CancellationToken.None);
        Assert.Equal(ECase.Application.Disposal.ArchivalOutcome.Made, result.Outcome);
        AssertSubsetOf(path, "DejaVuSansMono.ttf");
        AssertRendersWithoutComplaint(path);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // a temp folder left behind is harmless
        }
    }

    private static void AssertSubsetOf(string path, string fontName)
    {
        var original = new Font(File.ReadAllBytes(StructureTests.ResourcePath(fontName)));
        var pdf = PdfObjects.Load(path);
        var type0 = pdf.References.Where(r => !pdf.IsStream(r)).Select(pdf.Dict)
            .Single(d => d.TryGetProperty("/Subtype", out var s) && s.GetString() == "/Type0");
        Assert.Equal("/Identity-H", type0.GetProperty("/Encoding").GetString());
        var cidFont = pdf.Resolve(type0.GetProperty("/DescendantFonts")[0]);
        Assert.Equal("/CIDFontType2", cidFont.GetProperty("/Subtype").GetString());
        Assert.Equal("/Identity", cidFont.GetProperty("/CIDToGIDMap").GetString());
        var descriptor = pdf.Resolve(cidFont.GetProperty("/FontDescriptor"));
        var baseName = type0.GetProperty("/BaseFont").GetString()!;
        Assert.Matches("^/[A-Z]{6}\\+DejaVuSans(Mono)?$", baseName);
        Assert.Equal(baseName, descriptor.GetProperty("/FontName").GetString());

        var fontFile = descriptor.GetProperty("/FontFile2").GetString()!;
        var subset = new Font(pdf.Data(fontFile));
        Assert.Equal(pdf.Data(fontFile).Length, pdf.Dict(fontFile).GetProperty("/Length1").GetInt32());
        Assert.Equal(original.UnitsPerEm, subset.UnitsPerEm);
        Assert.Equal(0xB1B0AFBA, subset.WholeFileChecksum); // head.checkSumAdjustment makes the file sum to this

        // /W [0 [w0 w1 …]]: one width per glyph of the subset, each its advance in the program
        var w = cidFont.GetProperty("/W").EnumerateArray().ToList();
        Assert.Equal(2, w.Count);
        Assert.Equal(0, w[0].GetInt32());
        var widths = w[1].EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.Equal(subset.GlyphCount, widths.Count);
        for (var g = 0; g < subset.GlyphCount; g++)
            Assert.Equal(subset.Advance(g) * 1000.0 / subset.UnitsPerEm, widths[g], 3);

        // CIDSet: exactly CIDs 0 … numGlyphs-1
        var cidSet = pdf.Data(descriptor.GetProperty("/CIDSet").GetString()!);
        for (var cid = 0; cid < cidSet.Length * 8; cid++)
            Assert.Equal(cid < subset.GlyphCount, (cidSet[cid / 8] & (0x80 >> (cid % 8))) != 0);

        // every CID shown has a ToUnicode entry; its glyph is the original's glyph for that character (or the replacement glyph)
        var toUnicode = ToUnicode(Encoding.ASCII.GetString(pdf.Data(type0.GetProperty("/ToUnicode").GetString()!)));
        var shown = ShownCids(pdf);
        Assert.NotEmpty(shown);
        Assert.DoesNotContain(0, shown);
        foreach (var cid in shown)
        {
            Assert.True(toUnicode.TryGetValue(cid, out var text), $"CID {cid} has no ToUnicode entry");
            var glyph = original.GlyphOf(char.ConvertToUtf32(text, 0));
            if (glyph == 0)
                glyph = original.GlyphOf(0xFFFD);
            Assert.True(glyph > 0, $"no glyph for {text}");
            Assert.Equal(original.Advance(glyph), subset.Advance(cid));
            var (a, b) = (original.Outline(glyph), subset.Outline(cid));
            if (a.Length >= 2 && (short)(a[0] << 8 | a[1]) < 0)
                Assert.Equal(a.Length, b.Length); // composite: same structure, component ids renumbered
            else
                Assert.Equal(a, b);
        }
    }

    private void AssertRendersWithoutComplaint(string path)
    {
        var render = Tools.Run("pdftoppm", "poppler-utils", ["-r", "30", "-png", path, Path.Combine(_dir, Path.GetFileNameWithoutExtension(path))]);
        Assert.True(render.ExitCode == 0, render.All);
        Assert.Equal("", render.StdErr); // FreeType reads the subset program without errors
    }

    private static HashSet<int> ShownCids(PdfObjects pdf)
    {
        var cids = new HashSet<int>();
        foreach (var r in pdf.References.Where(r => !pdf.IsStream(r)))
        {
            var page = pdf.Dict(r);
            if (!page.TryGetProperty("/Type", out var t) || t.GetString() != "/Page")
                continue;
            var content = Encoding.ASCII.GetString(pdf.Data(page.GetProperty("/Contents").GetString()!));
            foreach (Match m in Regex.Matches(content, "<([0-9A-F]*)> Tj"))
            {
                for (var i = 0; i < m.Groups[1].Value.Length; i += 4)
                    cids.Add(int.Parse(m.Groups[1].Value.AsSpan(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }
        return cids;
    }

    private static Dictionary<int, string> ToUnicode(string cmap)
    {
        var map = new Dictionary<int, string>();
        foreach (Match m in Regex.Matches(cmap, "<([0-9A-F]{4})> <([0-9A-F]+)>"))
        {
            var utf16 = Convert.FromHexString(m.Groups[2].Value);
            map[int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = Encoding.BigEndianUnicode.GetString(utf16);
        }
        return map;
    }

    /// <summary>Just enough of a TrueType file for the comparison, independent of the product's reader.</summary>
    private sealed class Font
    {
        private readonly byte[] _data;
        private readonly Dictionary<string, (int Offset, int Length)> _tables = [];

        public Font(byte[] data)
        {
            _data = data;
            for (var i = 0; i < U16(4); i++)
                _tables[Encoding.ASCII.GetString(data, 12 + 16 * i, 4)] = ((int)U32(12 + 16 * i + 8), (int)U32(12 + 16 * i + 12));
        }

        public int UnitsPerEm => U16(_tables["head"].Offset + 18);
        public int GlyphCount => U16(_tables["maxp"].Offset + 4);

        public uint WholeFileChecksum
        {
            get
            {
                uint sum = 0;
                for (var i = 0; i < _data.Length; i += 4)
                    sum = unchecked(sum + (uint)((Byte(i) << 24) | (Byte(i + 1) << 16) | (Byte(i + 2) << 8) | Byte(i + 3)));
                return sum;
            }
        }

        public int Advance(int glyph)
        {
            var metrics = U16(_tables["hhea"].Offset + 34);
            return U16(_tables["hmtx"].Offset + 4 * Math.Min(glyph, metrics - 1));
        }

        public byte[] Outline(int glyph)
        {
            var longLoca = U16(_tables["head"].Offset + 50) == 1;
            var loca = _tables["loca"].Offset;
            int Offset(int g) => longLoca ? (int)U32(loca + 4 * g) : 2 * U16(loca + 2 * g);
            return _data.AsSpan(_tables["glyf"].Offset + Offset(glyph), Offset(glyph + 1) - Offset(glyph)).ToArray().TrimEndZeros();
        }

        /// <summary>Glyph of a character from the format 4 subtable (the BMP is enough here).</summary>
        public int GlyphOf(int c)
        {
            var cmap = _tables["cmap"].Offset;
            for (var i = 0; i < U16(cmap + 2); i++)
            {
                var sub = cmap + (int)U32(cmap + 4 + 8 * i + 4);
                if (U16(sub) != 4)
                    continue;
                var segments = U16(sub + 6) / 2;
                int ends = sub + 14, starts = ends + 2 * segments + 2, deltas = starts + 2 * segments, ranges = deltas + 2 * segments;
                for (var s = 0; s < segments; s++)
                {
                    if (c > U16(ends + 2 * s) || c < U16(starts + 2 * s))
                        continue;
                    var rangeOffset = U16(ranges + 2 * s);
                    if (rangeOffset == 0)
                        return (c + (short)U16(deltas + 2 * s)) & 0xFFFF;
                    var g = U16(ranges + 2 * s + rangeOffset + 2 * (c - U16(starts + 2 * s)));
                    return g == 0 ? 0 : (g + (short)U16(deltas + 2 * s)) & 0xFFFF;
                }
                return 0;
            }
            return 0;
        }

        private int Byte(int i) => i < _data.Length ? _data[i] : 0;
        private int U16(int offset) => (_data[offset] << 8) | _data[offset + 1];
        private uint U32(int offset) => (uint)((_data[offset] << 24) | (_data[offset + 1] << 16) | (_data[offset + 2] << 8) | _data[offset + 3]);
    }
}

internal static class ByteArrayExtensions
{
    /// <summary>Glyph data without the zero padding a font may put between glyphs.</summary>
    public static byte[] TrimEndZeros(this byte[] data)
    {
        var end = data.Length;
        while (end > 0 && data[end - 1] == 0)
            end--;
        return data[..end];
    }
}
