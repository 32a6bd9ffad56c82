using System.Globalization;
using System.IO;
using System.Text;
using ECase.Application.Scanning;
using ECase.Infrastructure.Pdf;

namespace ECase.Pdf.Tests;

/// <summary>The committed page images and their word boxes (Fixtures/README.md), as the OCR engine would hand them over.</summary>
public static class Fixtures
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>A4 at 150 dpi, 8-bit gray, 30 words in 5 lines (2 blocks).</summary>
    public static OcrPage GrayPage(int number = 1) => Load("page-gray", number, 150);

    /// <summary>A6 landscape at 100 dpi, RGB, 11 words in 2 lines.</summary>
    public static OcrPage RgbPage(int number = 2) => Load("page-rgb", number, 100);

    public static PdfAMetadata Metadata => new(
        "Bescheid über die Änderung – „Prüfung“ 4711/26",
        "Jürgen Groß",
        "Aktenzeichen 4711/26: Maßnahme für 12,50 €",
        new DateTimeOffset(2026, 11, 29, 14, 30, 5, TimeSpan.FromHours(1)));

    public static OcrPage Load(string name, int number, int dpi)
    {
        var jpeg = File.ReadAllBytes(Path.Combine(Dir, name + ".jpg"));
        var words = ReadWords(Path.Combine(Dir, name + ".words.tsv"));
        var (width, height) = JpegSize(jpeg);
        return new OcrPage(number, TextOf(words), 91.5f, 0, width, height, dpi, dpi, words, jpeg);
    }

    /// <summary>text TAB left TAB top TAB width TAB height TAB block TAB line, as printed by Fixtures/pages.ps.</summary>
    public static List<OcrWord> ReadWords(string path)
    {
        var words = new List<OcrWord>();
        foreach (var line in File.ReadAllLines(path, Encoding.UTF8))
        {
            if (line.Length == 0)
                continue;
            var f = line.Split('\t');
            int I(int i) => int.Parse(f[i], CultureInfo.InvariantCulture);
            words.Add(new OcrWord(f[0], I(1), I(2), I(3), I(4), 95f, I(5), I(6)));
        }
        return words;
    }

    /// <summary>The page text as the OCR engine reports it: words of a line joined by a space, lines by '\n'.</summary>
    public static string TextOf(IEnumerable<OcrWord> words) =>
        string.Join('\n', words.GroupBy(w => (w.Block, w.Line)).Select(l => string.Join(' ', l.Select(w => w.Text))));

    public static (int Width, int Height) JpegSize(byte[] jpeg)
    {
        for (var i = 2; i + 9 < jpeg.Length;)
        {
            var marker = jpeg[i + 1];
            var length = (jpeg[i + 2] << 8) | jpeg[i + 3];
            if (marker is 0xC0 or 0xC1 or 0xC2)
                return ((jpeg[i + 7] << 8) | jpeg[i + 8], (jpeg[i + 5] << 8) | jpeg[i + 6]);
            i += 2 + length;
        }
        throw new InvalidDataException("no SOF marker");
    }

    public static byte[] Write(IReadOnlyList<OcrPage> pages, PdfAMetadata? metadata = null)
    {
        using var output = new MemoryStream();
        new SearchablePdfAWriter().WriteSearchable(pages, metadata ?? Metadata, output);
        return output.ToArray();
    }
}

/// <summary>The sample document, written once per test class: gray page, RGB page.</summary>
public sealed class SamplePdf : IDisposable
{
    public SamplePdf()
    {
        Pages = [Fixtures.GrayPage(1), Fixtures.RgbPage(2)];
        Bytes = Fixtures.Write(Pages);
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ecase-pdfa-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Path = System.IO.Path.Combine(Directory, "sample.pdf");
        File.WriteAllBytes(Path, Bytes);
    }

    public IReadOnlyList<OcrPage> Pages { get; }
    public byte[] Bytes { get; }
    public string Directory { get; }
    public string Path { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a temp folder left behind is harmless
        }
    }
}
