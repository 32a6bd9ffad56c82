using System.Buffers.Binary;
using ECase.Application.Scanning;

namespace ECase.Infrastructure.Ocr;

/// <summary>
/// An image file read into memory and checked before anything is decoded: format (PNG, JPEG, TIFF, BMP, PNM, WebP),
/// structure (a TIFF's directory chain and strip/tile data must lie inside the file, so a truncated multi-page TIFF is
/// refused instead of silently losing pages) and size of every page from the headers. Decoding is leptonica's.
/// </summary>
internal sealed class OcrImageFile
{
    private readonly byte[] _data;
    private readonly int _format;
    private readonly string _name;

    private OcrImageFile(byte[] data, int format, int pageCount, string name)
    {
        _data = data;
        _format = format;
        PageCount = pageCount;
        _name = name;
    }

    public int PageCount { get; }

    public static OcrImageFile Read(string path, TesseractOcrOptions options)
    {
        var name = System.IO.Path.GetFileName(path);
        var info = new System.IO.FileInfo(path);
        if (!info.Exists) throw new System.IO.FileNotFoundException($"Image file not found: {path}", path);
        if (info.Length == 0) throw Unreadable(name, "the file is empty");
        if (info.Length > options.MaxFileBytes)
            throw new OcrInputException("image-too-large", $"{name}: {info.Length} bytes is more than the limit of {options.MaxFileBytes} bytes.");
        var data = System.IO.File.ReadAllBytes(path);
        if (data.Length < 12) throw Unreadable(name, "the file is too short to be an image");

        if (LeptonicaNative.findFileFormatBuffer(data, out var format) != 0) format = LeptonicaNative.IffUnknown;
        if (LeptonicaNative.IsTiff(format))
        {
            var pages = TiffStructure.PageSizes(data, options.MaxPages, name);
            for (var i = 0; i < pages.Count; i++) CheckSize(name, i, pages[i].Width, pages[i].Height, options);
            return new OcrImageFile(data, format, pages.Count, name);
        }

        switch (format)
        {
            case LeptonicaNative.IffBmp:
                // leptonica "reads" a BMP header by decoding the whole file: check the dimensions here first.
                var (bw, bh) = BmpSize(data, name);
                CheckSize(name, 0, bw, bh, options);
                break;
            case LeptonicaNative.IffJfifJpeg or LeptonicaNative.IffPng or LeptonicaNative.IffPnm or LeptonicaNative.IffWebP:
                break;
            case LeptonicaNative.IffUnknown:
                throw Unreadable(name, "not an image file (unknown format)");
            default:
                throw new OcrInputException("image-format-unsupported", $"{name}: image format {FormatName(format)} is not accepted for OCR (use TIFF, PNG or JPEG).");
        }

        if (LeptonicaNative.pixReadHeaderMem(data, (nuint)data.Length, out _, out var width, out var height, out _, out _, out _) != 0)
            throw Unreadable(name, "the image header cannot be read");
        CheckSize(name, 0, width, height, options);
        return new OcrImageFile(data, format, 1, name);
    }

    /// <summary>
    /// Decodes page <paramref name="pageIndex"/> and converts it to 8 bpp gray (no colormap) or 32 bpp RGB (no alpha); with
    /// <paramref name="keepBilevel"/> a 1 bpp page without colormap stays 1 bpp (archival renditions keep scans of text sharp and small).
    /// </summary>
    public PixHandle DecodePage(int pageIndex, TesseractOcrOptions options, bool keepBilevel = false)
    {
        if (pageIndex < 0 || pageIndex >= PageCount)
            throw new OcrInputException("page-out-of-range", $"{_name}: page index {pageIndex} is outside 0..{PageCount - 1}.");
        if (LeptonicaNative.IsTiff(_format))
        {
            // libtiff's view of the page's size, before decoding (defence in depth next to TiffStructure).
            if (LeptonicaNative.readHeaderMemTiff(_data, (nuint)_data.Length, pageIndex, out var w, out var h, out _, out _, out _, out _, out _) != 0)
                throw Unreadable(_name, $"the TIFF directory of page {pageIndex + 1} cannot be read");
            CheckSize(_name, pageIndex, w, h, options);
        }
        var pix = LeptonicaNative.IsTiff(_format)
            ? LeptonicaNative.pixReadMemTiff(_data, (nuint)_data.Length, pageIndex)
            : LeptonicaNative.pixReadMem(_data, (nuint)_data.Length);
        if (pix.IsInvalid)
        {
            pix.Dispose();
            throw Unreadable(_name, PageCount > 1 ? $"page {pageIndex + 1} cannot be decoded (damaged or truncated)" : "the image cannot be decoded (damaged or truncated)");
        }
        try
        {
            CheckSize(_name, pageIndex, LeptonicaNative.pixGetWidth(pix), LeptonicaNative.pixGetHeight(pix), options);
            if (LeptonicaNative.pixGetColormap(pix) != IntPtr.Zero)
                pix = Replace(pix, LeptonicaNative.pixRemoveColormap(pix, LeptonicaNative.RemoveCmapBasedOnSrc));
            if (LeptonicaNative.pixGetDepth(pix) == 32 && LeptonicaNative.pixGetSpp(pix) == 4)
                pix = Replace(pix, LeptonicaNative.pixRemoveAlpha(pix));
            if (LeptonicaNative.pixGetDepth(pix) is not (8 or 32) && !(keepBilevel && LeptonicaNative.pixGetDepth(pix) == 1))
                pix = Replace(pix, LeptonicaNative.pixConvertTo8(pix, 0));
            return pix;
        }
        catch
        {
            pix.Dispose();
            throw;
        }
    }

    private PixHandle Replace(PixHandle old, PixHandle converted)
    {
        old.Dispose();
        if (!converted.IsInvalid) return converted;
        converted.Dispose();
        throw Unreadable(_name, "the image cannot be converted to grayscale or RGB");
    }

    private static void CheckSize(string name, int pageIndex, long width, long height, TesseractOcrOptions options)
    {
        if (width <= 0 || height <= 0) throw Unreadable(name, $"page {pageIndex + 1} has no pixels ({width} x {height})");
        if (width * height > options.MaxPixels)
            throw new OcrInputException("image-too-large",
                $"{name}: page {pageIndex + 1} has {width} x {height} = {width * height / 1e6:0.#} megapixels, more than the limit of {options.MaxPixels / 1e6:0.#}.");
    }

    private static OcrInputException Unreadable(string name, string why) => new("image-unreadable", $"{name}: {why}.");

    private static (long Width, long Height) BmpSize(byte[] d, string name)
    {
        if (d.Length < 26) throw Unreadable(name, "truncated BMP header");
        var headerSize = BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(14));
        if (headerSize == 12)
            return (BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(18)), BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(20)));
        return (BinaryPrimitives.ReadInt32LittleEndian(d.AsSpan(18)), Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(d.AsSpan(22))));
    }

    private static string FormatName(int format) => format switch
    {
        LeptonicaNative.IffGif => "GIF",
        LeptonicaNative.IffJp2 => "JPEG 2000",
        LeptonicaNative.IffPs => "PostScript",
        LeptonicaNative.IffLpdf => "PDF",
        LeptonicaNative.IffSpix => "SPIX",
        _ => $"#{format}",
    };

    /// <summary>Walks the main IFD chain of a classic or BigTIFF file without decoding anything.</summary>
    private static class TiffStructure
    {
        private const int TagWidth = 256, TagHeight = 257, TagStripOffsets = 273, TagStripByteCounts = 279,
            TagTileOffsets = 324, TagTileByteCounts = 325;

        public static List<(long Width, long Height)> PageSizes(byte[] d, int maxPages, string name)
        {
            var r = new Reader(d, name);
            var pages = new List<(long, long)>();
            var visited = new HashSet<ulong>();
            var next = r.FirstIfd();
            while (next != 0)
            {
                if (!visited.Add(next)) throw Unreadable(name, "the TIFF directory chain loops");
                if (pages.Count == maxPages)
                    throw new OcrInputException("image-too-many-pages", $"{name}: more than {maxPages} pages.");
                pages.Add(ReadIfd(r, next, pages.Count, out next));
            }
            if (pages.Count == 0) throw Unreadable(name, "the TIFF has no pages");
            return pages;
        }

        private static (long, long) ReadIfd(Reader r, ulong offset, int index, out ulong next)
        {
            var entries = r.Big ? r.U64(offset) : r.U16(offset);
            if (entries == 0 || entries > 4096) throw r.Broken($"page {index + 1}: bad directory");
            var first = offset + (r.Big ? 8UL : 2UL);
            var entrySize = r.Big ? 20UL : 12UL;
            long width = 0, height = 0;
            ulong[]? offsets = null, counts = null;
            for (ulong i = 0; i < entries; i++)
            {
                var e = first + i * entrySize;
                var tag = r.U16(e);
                switch (tag)
                {
                    case TagWidth: width = (long)r.Values(e, 1)[0]; break;
                    case TagHeight: height = (long)r.Values(e, 1)[0]; break;
                    case TagStripOffsets or TagTileOffsets: offsets = r.Values(e); break;
                    case TagStripByteCounts or TagTileByteCounts: counts = r.Values(e); break;
                }
            }
            next = r.Big ? r.U64(first + entries * entrySize) : r.U32(first + entries * entrySize);
            if (offsets is null) throw r.Broken($"page {index + 1} has no image data");
            if (counts is not null)
            {
                if (counts.Length != offsets.Length) throw r.Broken($"page {index + 1}: strip tables differ in length");
                for (var k = 0; k < offsets.Length; k++)
                {
                    if (counts[k] == 0) continue;
                    if (offsets[k] > (ulong)r.Length || counts[k] > (ulong)r.Length - offsets[k])
                        throw Unreadable(r.Name, $"the TIFF is truncated (image data of page {index + 1} lies beyond the end of the file)");
                }
            }
            return (width, height);
        }

        private sealed class Reader(byte[] d, string name)
        {
            private readonly bool _le = d[0] == 'I' && d[1] == 'I';

            public string Name => name;
            public long Length => d.Length;
            public bool Big { get; private set; }

            public ulong FirstIfd()
            {
                if (!(_le || (d[0] == 'M' && d[1] == 'M'))) throw Broken("bad byte order mark");
                var magic = U16(2);
                if (magic == 42) return U32(4);
                if (magic != 43 || U16(4) != 8) throw Broken("bad magic number");
                Big = true;
                return U64(8);
            }

            public OcrInputException Broken(string why) => Unreadable(name, $"damaged TIFF ({why})");

            private ReadOnlySpan<byte> At(ulong offset, ulong length)
            {
                if (offset > (ulong)d.Length || length > (ulong)d.Length - offset)
                    throw Unreadable(name, "the TIFF is truncated (a directory lies beyond the end of the file)");
                return d.AsSpan((int)offset, (int)length);
            }

            public ushort U16(ulong o) => _le ? BinaryPrimitives.ReadUInt16LittleEndian(At(o, 2)) : BinaryPrimitives.ReadUInt16BigEndian(At(o, 2));
            public uint U32(ulong o) => _le ? BinaryPrimitives.ReadUInt32LittleEndian(At(o, 4)) : BinaryPrimitives.ReadUInt32BigEndian(At(o, 4));
            public ulong U64(ulong o) => _le ? BinaryPrimitives.ReadUInt64LittleEndian(At(o, 8)) : BinaryPrimitives.ReadUInt64BigEndian(At(o, 8));

            /// <summary>The SHORT/LONG/LONG8 values of the directory entry at <paramref name="e"/>.</summary>
            public ulong[] Values(ulong e, ulong? atMost = null)
            {
                var type = U16(e + 2);
                var count = Big ? U64(e + 4) : U32(e + 4);
                var field = e + (Big ? 12UL : 8UL);
                ulong size = type switch { 3 => 2, 4 => 4, 16 => 8, _ => throw Broken($"unexpected field type {type}") };
                if (count == 0) throw Broken("empty field");
                if (count > (ulong)d.Length) throw Broken("field count too large");
                var inline = size * count <= (Big ? 8UL : 4UL);
                var start = inline ? field : (Big ? U64(field) : U32(field));
                if (atMost is { } max) count = Math.Min(count, max);
                _ = At(start, size * count);
                var values = new ulong[count];
                for (ulong i = 0; i < count; i++)
                {
                    var o = start + i * size;
                    values[i] = size switch { 2 => U16(o), 4 => U32(o), _ => U64(o) };
                }
                return values;
            }
        }
    }
}
