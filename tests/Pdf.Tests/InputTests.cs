using System.IO;
using ECase.Application.Scanning;
using ECase.Infrastructure.Pdf;

namespace ECase.Pdf.Tests;

/// <summary>What the writer refuses, and what it does with JPEG variants.</summary>
public sealed class InputTests
{
    private static readonly SearchablePdfAWriter Writer = new();

    [Fact]
    public void No_pages_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Writer.WriteSearchable([], Fixtures.Metadata, new MemoryStream()));
    }

    [Fact]
    public void An_image_that_is_not_a_jpeg_is_refused_with_the_page_named()
    {
        var page = Fixtures.RgbPage(7) with { JpegImage = "\x89PNG\r\n\x1a\n0000"u8.ToArray() };
        var e = Assert.Throws<ArgumentException>(() => Fixtures.Write([Fixtures.GrayPage(1), page]));
        Assert.Contains("page 2 (number 7)", e.Message);
        Assert.Contains("not a JPEG", e.Message);
    }

    [Fact]
    public void A_truncated_jpeg_is_refused()
    {
        var jpeg = Fixtures.RgbPage().JpegImage;
        var page = Fixtures.RgbPage() with { JpegImage = jpeg[..100] };
        var e = Assert.Throws<ArgumentException>(() => Fixtures.Write([page]));
        Assert.Contains("truncated", e.Message);
    }

    [Theory]
    [InlineData(4, 8, 0xC0, "4 components")]   // CMYK: no CMYK output intent
    [InlineData(3, 12, 0xC1, "12 bits")]       // DCTDecode in PDF is 8-bit
    [InlineData(3, 8, 0xC9, "SOF9")]           // arithmetic coding
    [InlineData(1, 8, 0xC3, "SOF3")]           // lossless
    public void Jpeg_variants_pdf_cannot_carry_are_refused(int components, int precision, int sof, string reason)
    {
        var page = Fixtures.RgbPage() with { JpegImage = SyntheticJpeg(583, 413, components, precision, (byte)sof) };
        var e = Assert.Throws<ArgumentException>(() => Fixtures.Write([page]));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Image_size_must_match_the_page()
    {
        var page = Fixtures.RgbPage() with { WidthPx = 584 };
        var e = Assert.Throws<ArgumentException>(() => Fixtures.Write([page]));
        Assert.Contains("583x413", e.Message);
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(100, -1)]
    [InlineData(1, 1)] // 583 px at 1 dpi = 41 976 pt: beyond the 14 400 pt page limit
    public void Resolution_must_give_a_page_within_the_pdf_limits(int dpiX, int dpiY)
    {
        var page = Fixtures.RgbPage() with { DpiX = dpiX, DpiY = dpiY };
        Assert.Throws<ArgumentException>(() => Fixtures.Write([page]));
    }

    [Fact]
    public void An_rgb_jpeg_with_an_adobe_marker_saying_no_transform_gets_color_transform_0()
    {
        var jpeg = Fixtures.RgbPage().JpegImage;
        // APP14 "Adobe": version 100, flags0 0, flags1 0, transform 0 (components are RGB, not YCbCr)
        byte[] adobe = [0xFF, 0xEE, 0x00, 0x0E, (byte)'A', (byte)'d', (byte)'o', (byte)'b', (byte)'e', 0x00, 0x64, 0, 0, 0, 0, 0];
        var page = Fixtures.RgbPage() with { JpegImage = [.. jpeg[..2], .. adobe, .. jpeg[2..]] };
        var dir = Directory.CreateTempSubdirectory("ecase-pdfa-");
        try
        {
            var path = Path.Combine(dir.FullName, "adobe.pdf");
            File.WriteAllBytes(path, Fixtures.Write([page]));
            var pdf = PdfObjects.Load(path);
            var image = pdf.References.Select(pdf.Dict).Single(d => d.TryGetProperty("/Subtype", out var s) && s.GetString() == "/Image");
            Assert.Equal(0, image.GetProperty("/DecodeParms").GetProperty("/ColorTransform").GetInt32());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Output_is_flushed_and_left_open()
    {
        using var output = new MemoryStream();
        Writer.WriteSearchable([Fixtures.RgbPage()], Fixtures.Metadata, output);
        Assert.True(output.CanWrite);
        Assert.True(output.Length > Fixtures.RgbPage().JpegImage.Length);
    }

    /// <summary>SOI, a frame header and EOI: enough for the marker parser, not an image.</summary>
    private static byte[] SyntheticJpeg(int width, int height, int components, int precision, byte sof)
    {
        var frame = new List<byte> { 0xFF, sof, 0, (byte)(8 + 3 * components), (byte)precision, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, (byte)components };
        for (var c = 1; c <= components; c++)
            frame.AddRange([(byte)c, 0x11, 0]);
        return [0xFF, 0xD8, .. frame, 0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0xFF, 0xD9];
    }
}
