using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ECase.Pdf.Tests;

/// <summary>File structure, fonts, images and the PDF/A-2b prohibitions, checked with qpdf and by reading the bytes.</summary>
public sealed class StructureTests(SamplePdf sample) : IClassFixture<SamplePdf>
{
    [Fact]
    public void Qpdf_check_reports_no_errors_or_warnings()
    {
        var result = Tools.Qpdf("--check", sample.Path);
        Assert.True(result.ExitCode == 0, "qpdf --check exit code " + result.ExitCode + ": " + result.All);
        Assert.Contains("No syntax or stream encoding errors found", result.StdOut);
        Assert.Contains("PDF Version: 1.7", result.StdOut);
        Assert.Contains("File is not encrypted", result.StdOut);
        Assert.DoesNotContain("WARNING", result.All, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("error", result.StdErr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Header_is_pdf_1_7_with_a_binary_comment_and_the_file_ends_with_eof()
    {
        var bytes = sample.Bytes;
        Assert.Equal("%PDF-1.7\n"u8.ToArray(), bytes[..9]);
        Assert.Equal((byte)'%', bytes[9]);
        var comment = bytes.Skip(10).TakeWhile(b => b != '\n').ToArray();
        Assert.True(comment.Length >= 4 && comment.Take(4).All(b => b > 127), "second line must be % and at least four bytes > 127");
        Assert.Equal("%%EOF\n"u8.ToArray(), bytes[^6..]);
    }

    [Fact]
    public void Cross_reference_offsets_point_at_their_objects()
    {
        var bytes = sample.Bytes;
        var text = Encoding.Latin1.GetString(bytes);
        var tail = Regex.Match(text, @"startxref\n(\d+)\n%%EOF\n$");
        Assert.True(tail.Success, "startxref at the end");
        var xref = int.Parse(tail.Groups[1].Value, CultureInfo.InvariantCulture);
        var head = Regex.Match(text[xref..], @"^xref\n0 (\d+)\n");
        Assert.True(head.Success, "startxref points at the xref keyword");
        var size = int.Parse(head.Groups[1].Value, CultureInfo.InvariantCulture);
        var entries = xref + head.Length;
        Assert.Equal("0000000000 65535 f\r\n", text.Substring(entries, 20));
        for (var n = 1; n < size; n++)
        {
            var entry = text.Substring(entries + 20 * n, 20);
            Assert.Matches(@"^\d{10} 00000 n\r\n$", entry);
            var offset = int.Parse(entry[..10], CultureInfo.InvariantCulture);
            Assert.True(text.AsSpan(offset).StartsWith($"{n} 0 obj\n"), $"xref entry {n} points at byte {offset}, which is not '{n} 0 obj'");
        }
        Assert.StartsWith("trailer\n<< /Size " + size.ToString(CultureInfo.InvariantCulture) + " ", text[(entries + 20 * size)..]);
    }

    [Fact]
    public void Trailer_has_an_id_and_no_encryption()
    {
        var pdf = PdfObjects.Load(sample.Path);
        var id = pdf.Trailer.GetProperty("/ID");
        Assert.Equal(2, id.GetArrayLength());
        foreach (var part in id.EnumerateArray())
            Assert.Matches("^b:[0-9a-f]{32}$", part.GetString()!);
        Assert.False(pdf.Trailer.TryGetProperty("/Encrypt", out _));
    }

    [Fact]
    public void No_javascript_actions_encryption_transparency_or_annotations_anywhere()
    {
        string[] forbidden = ["/JS", "/JavaScript", "/AA", "/OpenAction", "/Encrypt", "/Group", "/SMask", "/Annots", "/AcroForm",
                              "/EmbeddedFiles", "/Alternates", "/OPI", "/Interpolate", "/Launch", "/URI"];
        var pdf = PdfObjects.Load(sample.Path);
        var found = pdf.AllKeys().Where(k => forbidden.Contains(k.Key)).Select(k => $"{k.Key} in {k.Where}").ToList();
        Assert.Empty(found);
        // The same names must not occur as names in any uncompressed part either (object streams would hide them; there are none).
        var text = Encoding.Latin1.GetString(sample.Bytes);
        Assert.DoesNotContain("/ObjStm", text);
        Assert.DoesNotContain("/XRefStm", text);
        Assert.DoesNotMatch(@"/(JS|JavaScript|AA|OpenAction|Encrypt)[\s/<>\[\]()]", StripStreams(text));
    }

    [Fact]
    public void Catalog_has_an_sRGB_output_intent_with_the_embedded_icc_profile()
    {
        var pdf = PdfObjects.Load(sample.Path);
        var intents = pdf.Catalog.GetProperty("/OutputIntents");
        Assert.Equal(1, intents.GetArrayLength());
        var intent = pdf.Resolve(intents[0]);
        Assert.Equal("/OutputIntent", intent.GetProperty("/Type").GetString());
        Assert.Equal("/GTS_PDFA1", intent.GetProperty("/S").GetString());
        Assert.Equal("sRGB IEC61966-2.1", PdfObjects.Text(intent.GetProperty("/OutputConditionIdentifier")));
        var profileRef = intent.GetProperty("/DestOutputProfile").GetString()!;
        Assert.True(pdf.IsStream(profileRef));
        Assert.Equal(3, pdf.Dict(profileRef).GetProperty("/N").GetInt32());
        var profile = pdf.Data(profileRef);
        Assert.Equal(File.ReadAllBytes(ResourcePath("sRGB.icc")), profile);
        // ICC header: size, 'acsp' signature, RGB data colour space, display ('mntr') class
        Assert.Equal(profile.Length, (profile[0] << 24) | (profile[1] << 16) | (profile[2] << 8) | profile[3]);
        Assert.Equal("acsp", Encoding.ASCII.GetString(profile, 36, 4));
        Assert.Equal("RGB ", Encoding.ASCII.GetString(profile, 16, 4));
        Assert.Equal("mntr", Encoding.ASCII.GetString(profile, 12, 4));
    }

    [Fact]
    public void Metadata_stream_is_in_the_catalog_and_uncompressed()
    {
        var pdf = PdfObjects.Load(sample.Path);
        var reference = pdf.Catalog.GetProperty("/Metadata").GetString()!;
        var dict = pdf.Dict(reference);
        Assert.Equal("/Metadata", dict.GetProperty("/Type").GetString());
        Assert.Equal("/XML", dict.GetProperty("/Subtype").GetString());
        Assert.False(dict.TryGetProperty("/Filter", out _), "PDF/A metadata streams are not filtered");
        var xmp = Encoding.UTF8.GetString(pdf.RawData(reference));
        Assert.StartsWith("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>", xmp);
        Assert.EndsWith("<?xpacket end=\"w\"?>", xmp);
        Assert.DoesNotContain("bytes=", xmp);
        Assert.DoesNotContain("encoding=", xmp);
    }

    [Fact]
    public void Pages_have_the_image_size_at_its_resolution_and_the_jpeg_embedded_as_it_is()
    {
        var pdf = PdfObjects.Load(sample.Path);
        var kids = pdf.Dict(pdf.Catalog.GetProperty("/Pages").GetString()!).GetProperty("/Kids").EnumerateArray().Select(k => k.GetString()!).ToList();
        Assert.Equal(sample.Pages.Count, kids.Count);
        string[] colorSpaces = ["/DeviceGray", "/DeviceRGB"];
        for (var i = 0; i < kids.Count; i++)
        {
            var source = sample.Pages[i];
            var page = pdf.Dict(kids[i]);
            var box = page.GetProperty("/MediaBox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.Equal([0, 0, source.WidthPx * 72.0 / source.DpiX, source.HeightPx * 72.0 / source.DpiY], box, (a, b) => Math.Abs(a - b) < 0.001);
            Assert.False(page.TryGetProperty("/Group", out _));
            var imageRef = page.GetProperty("/Resources").GetProperty("/XObject").GetProperty("/Im0").GetString()!;
            var image = pdf.Dict(imageRef);
            Assert.Equal("/Image", image.GetProperty("/Subtype").GetString());
            Assert.Equal("/DCTDecode", image.GetProperty("/Filter").GetString());
            Assert.Equal(colorSpaces[i], image.GetProperty("/ColorSpace").GetString());
            Assert.Equal(8, image.GetProperty("/BitsPerComponent").GetInt32());
            Assert.Equal(source.WidthPx, image.GetProperty("/Width").GetInt32());
            Assert.Equal(source.HeightPx, image.GetProperty("/Height").GetInt32());
            Assert.Equal(source.JpegImage, pdf.RawData(imageRef));

            var content = Encoding.ASCII.GetString(pdf.Data(page.GetProperty("/Contents").GetString()!));
            var w = (source.WidthPx * 72.0 / source.DpiX).ToString("0.###", CultureInfo.InvariantCulture);
            var h = (source.HeightPx * 72.0 / source.DpiY).ToString("0.###", CultureInfo.InvariantCulture);
            Assert.StartsWith($"q\n{w} 0 0 {h} 0 0 cm\n/Im0 Do\nQ\nBT\n3 Tr\n", content);
            Assert.Single(Regex.Matches(content, @"\bTr\b"));
        }
    }

    [Fact]
    public void Font_is_an_embedded_type0_cid_truetype_with_identity_h_tounicode_and_a_cid_to_gid_map_avoiding_notdef()
    {
        var pdf = PdfObjects.Load(sample.Path);
        var fonts = pdf.References.Where(r => !pdf.IsStream(r) && pdf.Dict(r).TryGetProperty("/Type", out var t) && t.GetString() == "/Font").ToList();
        var type0 = fonts.Select(pdf.Dict).Single(f => f.GetProperty("/Subtype").GetString() == "/Type0");
        Assert.Equal("/Identity-H", type0.GetProperty("/Encoding").GetString());
        Assert.True(pdf.IsStream(type0.GetProperty("/ToUnicode").GetString()!));
        var cidFont = pdf.Resolve(type0.GetProperty("/DescendantFonts")[0]);
        Assert.Equal("/CIDFontType2", cidFont.GetProperty("/Subtype").GetString());
        Assert.Equal(500, cidFont.GetProperty("/DW").GetInt32()); // = advance 1024 / 2048 units of the font's only glyph
        var system = cidFont.GetProperty("/CIDSystemInfo");
        Assert.Equal("Adobe", PdfObjects.Text(system.GetProperty("/Registry")));
        Assert.Equal("Identity", PdfObjects.Text(system.GetProperty("/Ordering")));

        var map = pdf.Data(cidFont.GetProperty("/CIDToGIDMap").GetString()!);
        Assert.True(map.Length >= 4 && map.Length % 2 == 0);
        Assert.Equal(0, map[0] << 8 | map[1]); // CID 0 (.notdef), never shown
        for (var cid = 1; cid < map.Length / 2; cid++)
            Assert.Equal(1, map[2 * cid] << 8 | map[2 * cid + 1]);

        var descriptor = pdf.Resolve(cidFont.GetProperty("/FontDescriptor"));
        var fontFile = descriptor.GetProperty("/FontFile2").GetString()!;
        var program = pdf.Data(fontFile);
        Assert.Equal(program.Length, pdf.Dict(fontFile).GetProperty("/Length1").GetInt32());
        Assert.Equal(File.ReadAllBytes(ResourcePath("GlyphLessFont.ttf")), program);
        Assert.Equal("c7845420925a23d88ed830a63957b8af85a66a8daf8d9fc90e843673b2ef1a59", Convert.ToHexStringLower(SHA256.HashData(program)));

        // Glyph widths in the dictionary and the font program agree (PDF/A-2 6.2.11.5): every shown CID maps to GID 1,
        // whose advance in 'hmtx', scaled by 'head' unitsPerEm to 1000, must be the DW of 500.
        var tables = TrueTypeTables(program);
        var unitsPerEm = U16(program, tables["head"] + 18);
        var numberOfHMetrics = U16(program, tables["hhea"] + 34);
        var advance1 = U16(program, tables["hmtx"] + 4 * Math.Min(1, numberOfHMetrics - 1));
        Assert.Equal(500.0, advance1 * 1000.0 / unitsPerEm);
        Assert.Equal(2, U16(program, tables["maxp"] + 4)); // numGlyphs: .notdef and the one glyph
    }

    [Fact]
    public void Poppler_renders_every_page_without_complaint()
    {
        var result = Tools.Run("pdftoppm", "poppler-utils", ["-r", "20", "-png", sample.Path, Path.Combine(sample.Directory, "render")]);
        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal("", result.StdErr);
        Assert.Equal(sample.Pages.Count, Directory.GetFiles(sample.Directory, "render-*.png").Length);
    }

    [Fact]
    public void Same_input_gives_the_same_bytes()
    {
        Assert.Equal(sample.Bytes, Fixtures.Write(sample.Pages));
    }

    private static Dictionary<string, int> TrueTypeTables(byte[] font)
    {
        var tables = new Dictionary<string, int>();
        var count = U16(font, 4);
        for (var i = 0; i < count; i++)
        {
            var entry = 12 + 16 * i;
            tables[Encoding.ASCII.GetString(font, entry, 4)] = (font[entry + 8] << 24) | (font[entry + 9] << 16) | (font[entry + 10] << 8) | font[entry + 11];
        }
        return tables;
    }

    private static int U16(byte[] data, int offset) => (data[offset] << 8) | data[offset + 1];

    internal static string ResourcePath(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ECase.sln")))
            dir = dir.Parent;
        Assert.NotNull(dir);
        return Path.Combine(dir.FullName, "src", "Infrastructure", "Pdf", "Resources", name);
    }

    /// <summary>The file without the bytes between 'stream' and 'endstream' (binary data can contain anything).</summary>
    private static string StripStreams(string text) => Regex.Replace(text, @"stream\n.*?\nendstream", "stream endstream", RegexOptions.Singleline);
}
