using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace ECase.Infrastructure.Pdf;

/// <summary>
/// Composes a PDF/A-2b page by page onto a forward-only stream (ADR 0017): catalog with the sRGB output intent, Info and XMP
/// (<see cref="PdfAParts"/>) first; each page, its content and its images as soon as the page is added, so large images are
/// never all in memory; the page tree and the font subsets last, when all pages and characters are known. The trailer's /ID is
/// a hash of every byte before it, so equal input gives an equal file.
/// </summary>
internal sealed class PdfAComposer
{
    private const int Catalog = 1, PageTree = 2, Info = 3, Xmp = 4, Icc = 5;

    private readonly HashingStream _output;
    private readonly PdfFileWriter _pdf;
    private readonly List<int> _pages = [];
    private readonly List<(EmbeddedFont Font, int Number)> _fonts = [];
    private int _next = Icc + 1;

    public PdfAComposer(Stream output, DocumentMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanWrite)
            throw new ArgumentException("the output stream is not writable", nameof(output));
        _output = new HashingStream(output);
        _pdf = new PdfFileWriter(_output);
        _pdf.WriteHeader();
        _pdf.WriteObject(Catalog, PdfAParts.Catalog(PageTree, Xmp, Icc));
        _pdf.WriteObject(Info, PdfAParts.InfoDictionary(metadata));
        _pdf.WriteStream(Xmp, " /Type /Metadata /Subtype /XML", PdfAParts.XmpPacket(metadata)); // uncompressed (6.6.2.1)
        PdfAParts.WriteOutputProfile(_pdf, Icc);
    }

    public int PageCount => _pages.Count;

    /// <summary>A font for this document; its subset is written by <see cref="Finish"/>.</summary>
    public EmbeddedFont AddFont(TrueTypeFont font)
    {
        var embedded = new EmbeddedFont(font, "F" + (_fonts.Count + 1).ToString(CultureInfo.InvariantCulture));
        _fonts.Add((embedded, 0));
        return embedded;
    }

    /// <summary>
    /// An 8-bit gray (1 component), 8-bit RGB (3) or 1-bit gray image from its packed rows (each row starts on a byte), Flate
    /// compressed. Returns the image's object number for <see cref="PageContent.Image"/>.
    /// </summary>
    public int AddImage(int width, int height, int components, int bitsPerComponent, ReadOnlySpan<byte> rows)
    {
        if (components is not (1 or 3) || bitsPerComponent is not (1 or 8) || (bitsPerComponent == 1 && components != 1))
            throw new ArgumentException($"unsupported image layout: {components} components of {bitsPerComponent} bits");
        if ((long)height * ((width * components * bitsPerComponent + 7) / 8) != rows.Length)
            throw new ArgumentException("the image data does not match its size", nameof(rows));
        var number = _next++;
        _pdf.WriteFlateStream(number,
            $" /Type /XObject /Subtype /Image /Width {width.ToString(CultureInfo.InvariantCulture)} /Height {height.ToString(CultureInfo.InvariantCulture)} " +
            $"/ColorSpace {(components == 1 ? "/DeviceGray" : "/DeviceRGB")} /BitsPerComponent {bitsPerComponent.ToString(CultureInfo.InvariantCulture)}",
            rows);
        return number;
    }

    /// <summary>Writes a page of <paramref name="width"/> × <paramref name="height"/> points with the given content.</summary>
    public void AddPage(double width, double height, PageContent content)
    {
        if (width is < 3 or > 14400 || height is < 3 or > 14400) // ISO 32000-1 Annex C, adopted by PDF/A-2 6.1.13
            throw new ArgumentOutOfRangeException(nameof(width), $"{PdfSyntax.Number(width)}x{PdfSyntax.Number(height)} pt is outside 3 to 14400 pt");
        int page = _next++, stream = _next++;
        var resources = new StringBuilder("<<");
        if (content.Fonts.Count > 0)
        {
            resources.Append(" /Font <<");
            foreach (var font in content.Fonts.OrderBy(f => f.ResourceName, StringComparer.Ordinal))
                resources.Append(" /").Append(font.ResourceName).Append(' ').Append(PdfFileWriter.Ref(FontNumber(font)));
            resources.Append(" >>");
        }
        if (content.Images.Count > 0)
        {
            resources.Append(" /XObject <<");
            foreach (var image in content.Images.Order())
                resources.Append(" /Im").Append(image.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(PdfFileWriter.Ref(image));
            resources.Append(" >>");
        }
        resources.Append(" >>");
        _pdf.WriteObject(page,
            $"<< /Type /Page /Parent {PdfFileWriter.Ref(PageTree)} /MediaBox [0 0 {PdfSyntax.Number(width)} {PdfSyntax.Number(height)}] " +
            $"/Resources {resources} /Contents {PdfFileWriter.Ref(stream)} >>");
        _pdf.WriteFlateStream(stream, "", Encoding.ASCII.GetBytes(content.ToString()));
        _pages.Add(page);
    }

    /// <summary>Writes the page tree, the fonts and the trailer; the output is flushed, not closed.</summary>
    public void Finish()
    {
        if (_pages.Count == 0)
            throw new InvalidOperationException("a PDF needs at least one page");
        var kids = string.Join(" ", _pages.Select(PdfFileWriter.Ref));
        _pdf.WriteObject(PageTree, $"<< /Type /Pages /Kids [{kids}] /Count {_pages.Count.ToString(CultureInfo.InvariantCulture)} >>");
        foreach (var (font, number) in _fonts)
        {
            if (number > 0)
                font.Write(_pdf, number);
        }
        _pdf.WriteTrailer(_next, Catalog, Info, _output.Hash().AsSpan(0, 16));
        _output.Dispose(); // the hash only; the caller's stream stays open
    }

    private int FontNumber(EmbeddedFont font)
    {
        var i = _fonts.FindIndex(f => ReferenceEquals(f.Font, font));
        if (i < 0)
            throw new InvalidOperationException("the font belongs to another document");
        if (_fonts[i].Number == 0)
        {
            _fonts[i] = (font, _next);
            _next += EmbeddedFont.ObjectCount;
        }
        return _fonts[i].Number;
    }

    /// <summary>Passes writes through and hashes them.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public byte[] Hash() => _hash.GetCurrentHash();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            inner.Write(buffer);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _hash.Dispose();
            base.Dispose(disposing);
        }
    }
}

/// <summary>A page's content stream: text in embedded fonts, rules, gray fills and images; coordinates in points from the bottom left.</summary>
internal sealed class PageContent
{
    private readonly StringBuilder _ops = new();

    public HashSet<EmbeddedFont> Fonts { get; } = [];
    public HashSet<int> Images { get; } = [];

    /// <summary>Shows <paramref name="text"/> (no line breaks) with its baseline starting at (x, y), in gray level <paramref name="gray"/> (0 = black).</summary>
    public void Text(EmbeddedFont font, double size, double x, double y, string text, double gray = 0)
    {
        if (text.Length == 0)
            return;
        Fonts.Add(font);
        _ops.Append("BT ");
        if (gray != 0)
            _ops.Append(PdfSyntax.Number(gray)).Append(" g ");
        _ops.Append('/').Append(font.ResourceName).Append(' ').Append(PdfSyntax.Number(size)).Append(" Tf ")
            .Append(PdfSyntax.Number(x)).Append(' ').Append(PdfSyntax.Number(y)).Append(" Td ")
            .Append(font.Encode(text)).Append(" Tj ET");
        if (gray != 0)
            _ops.Append(" 0 g");
        _ops.Append('\n');
    }

    /// <summary>
    /// Invisible text (rendering mode 3) with its baseline starting at (x, y), stretched to <paramref name="width"/> points, for
    /// search and extraction over a page image. In its own q … Q, since Tr and Tz outlive ET.
    /// </summary>
    public void InvisibleText(EmbeddedFont font, double size, double x, double y, double width, string text)
    {
        var natural = font.Width(text, size);
        if (text.Length == 0 || size <= 0 || natural <= 0)
            return;
        Fonts.Add(font);
        _ops.Append("q BT 3 Tr /").Append(font.ResourceName).Append(' ').Append(PdfSyntax.Number(size)).Append(" Tf ")
            .Append(PdfSyntax.Number(Math.Clamp(100 * width / natural, 1, 1000))).Append(" Tz ")
            .Append(PdfSyntax.Number(x)).Append(' ').Append(PdfSyntax.Number(y)).Append(" Td ")
            .Append(font.Encode(text)).Append(" Tj ET Q\n");
    }

    /// <summary>Concatenates <paramref name="matrix"/> (a b c d e f) to the transformation for what follows, up to <see cref="Restore"/>.</summary>
    public void Transform(ReadOnlySpan<double> matrix)
    {
        _ops.Append("q");
        foreach (var value in matrix)
            _ops.Append(' ').Append(PdfSyntax.Number(value));
        _ops.Append(" cm\n");
    }

    /// <summary>Ends a <see cref="Transform"/>.</summary>
    public void Restore() => _ops.Append("Q\n");

    /// <summary>A straight line of the given width, in black or gray.</summary>
    public void Line(double x1, double y1, double x2, double y2, double width, double gray = 0) =>
        _ops.Append(PdfSyntax.Number(gray)).Append(" G ").Append(PdfSyntax.Number(width)).Append(" w ")
            .Append(PdfSyntax.Number(x1)).Append(' ').Append(PdfSyntax.Number(y1)).Append(" m ")
            .Append(PdfSyntax.Number(x2)).Append(' ').Append(PdfSyntax.Number(y2)).Append(" l S\n");

    /// <summary>A rectangle filled with a gray level, behind what is drawn after it.</summary>
    public void Fill(double x, double y, double width, double height, double gray) =>
        _ops.Append(PdfSyntax.Number(gray)).Append(" g ")
            .Append(PdfSyntax.Number(x)).Append(' ').Append(PdfSyntax.Number(y)).Append(' ')
            .Append(PdfSyntax.Number(width)).Append(' ').Append(PdfSyntax.Number(height)).Append(" re f 0 g\n");

    /// <summary>Draws image <paramref name="image"/> (from <see cref="PdfAComposer.AddImage"/>) into the rectangle.</summary>
    public void Image(int image, double x, double y, double width, double height)
    {
        Images.Add(image);
        _ops.Append("q ").Append(PdfSyntax.Number(width)).Append(" 0 0 ").Append(PdfSyntax.Number(height)).Append(' ')
            .Append(PdfSyntax.Number(x)).Append(' ').Append(PdfSyntax.Number(y)).Append(" cm /Im")
            .Append(image.ToString(CultureInfo.InvariantCulture)).Append(" Do Q\n");
    }

    public override string ToString() => _ops.ToString();
}
