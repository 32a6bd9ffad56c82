using System.Diagnostics;
using System.IO;
using System.Text;
using ECase.Application.Disposal;
using ECase.Infrastructure.Ocr;
using ECase.Infrastructure.Pdf;
using Microsoft.Extensions.Options;

namespace ECase.Pdf.Tests;

/// <summary>
/// Originals of every kind the archival renditions cover, made once per test class (images and the born-digital PDF with
/// Ghostscript from a small PostScript program), and their renditions with the time each took.
/// </summary>
public sealed class ArchivalSamples : IAsyncLifetime
{
    public const string GermanLine = "Straße ÄÖÜ € – „Prüfung“ für 12,50 €";

    /// <summary>Kinds of original: file name and media type.</summary>
    public static readonly IReadOnlyDictionary<string, (string File, string MediaType)> Kinds = new Dictionary<string, (string, string)>
    {
        ["text"] = ("brief.txt", "text/plain; charset=utf-8"),
        ["jpeg-gray"] = ("page-gray.jpg", "image/jpeg"),
        ["jpeg-rgb"] = ("page-rgb.jpg", "image/jpeg"),
        ["png-rgba"] = ("page-rgba.png", "image/png"),
        ["png-gray"] = ("page-gray.png", "image/png"),
        ["tiff-g4"] = ("pages-g4.tif", "image/tiff"),
        ["tiff-gray"] = ("page-gray.tif", "image/tiff"),
        ["pdf"] = ("born-digital.pdf", "application/pdf"),
    };

    public static IEnumerable<object[]> KindNames => Kinds.Keys.Select(k => new object[] { k });

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("ecase-archival-").FullName;

    public ArchivalRenditions Maker { get; } = NewMaker(TimeProvider.System);

    public Dictionary<string, (ArchivalResult Result, string Output, double Milliseconds)> Renditions { get; } = [];

    /// <summary>The plain-text original: German letter text, a tab, a line longer than 80 columns, enough lines for two pages.</summary>
    public static string Letter { get; } = BuildLetter();

    public static ArchivalRenditions NewMaker(TimeProvider clock) =>
        new(new GhostscriptPdfAConverter(clock), Options.Create(new TesseractOcrOptions()), clock);

    public string PathOf(string name) => Path.Combine(Directory, name);

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(PathOf("brief.txt"), Letter, new UTF8Encoding(false));
        File.Copy(Path.Combine(Fixtures.Dir, "page-gray.jpg"), PathOf("page-gray.jpg"));
        File.Copy(Path.Combine(Fixtures.Dir, "page-rgb.jpg"), PathOf("page-rgb.jpg"));
        var ps = PathOf("pages.ps");
        await File.WriteAllTextAsync(ps, PostScript);
        Render(ps, "page-rgba.png", "-sDEVICE=pngalpha", "-r100", "-dLastPage=1");
        Render(ps, "page-gray.png", "-sDEVICE=pnggray", "-r150", "-dLastPage=1");
        Render(ps, "pages-g4.tif", "-sDEVICE=tiffg4", "-r200");
        Render(ps, "page-gray.tif", "-sDEVICE=tiffgray", "-sCompression=lzw", "-r100", "-dLastPage=1");
        Render(ps, "born-digital.pdf", "-sDEVICE=pdfwrite");

        foreach (var (kind, (file, mediaType)) in Kinds)
        {
            var output = PathOf(kind + ".pdfa.pdf");
            var watch = Stopwatch.StartNew();
            var result = await Maker.MakeAsync(PathOf(file), mediaType, "Rendition " + kind + " – Prüfung", output, CancellationToken.None);
            Renditions[kind] = (result, output, watch.Elapsed.TotalMilliseconds);
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a temp folder left behind is harmless
        }
        return Task.CompletedTask;
    }

    private void Render(string ps, string output, params string[] device)
    {
        var result = Tools.Ghostscript(["-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", .. device, "-sOutputFile=" + PathOf(output), ps]);
        Assert.True(result.ExitCode == 0, result.All);
    }

    private static string BuildLetter()
    {
        var sb = new StringBuilder();
        sb.Append("Landesamt für Prüfung\n\nAktenzeichen:\t4711/26\nBetreff:\tÄnderungsbescheid\n\n");
        sb.Append(GermanLine).Append('\n');
        sb.Append("Sehr geehrte Damen und Herren, diese Zeile ist länger als achtzig Zeichen und wird daher an einem Leerzeichen umbrochen, ohne ein Wort zu teilen.\n");
        for (var i = 1; i <= 70; i++)
            sb.Append("Zeile ").Append(i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)).Append(": Grüße aus Köln\n");
        sb.Append("\fNach dem Seitenvorschub: Schluss.\n");
        return sb.ToString();
    }

    /// <summary>Three A4 pages: text in Helvetica, a coloured bar, a gray box.</summary>
    private const string PostScript = """
        %!PS
        << /PageSize [595 842] >> setpagedevice
        1 1 3 {
          /n exch def
          /Helvetica findfont 24 scalefont setfont
          72 740 moveto (Archival rendition test page) show
          /Helvetica findfont 14 scalefont setfont
          72 700 moveto (Page ) show n 3 string cvs show
          0.8 0.1 0.1 setrgbcolor 72 600 300 40 rectfill
          0.5 setgray 72 500 200 60 rectfill
          showpage
        } for
        """;
}

/// <summary>A clock standing still, for byte-equal output.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
}
