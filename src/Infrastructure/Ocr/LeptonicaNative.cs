using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

[assembly: InternalsVisibleTo("ECase.Ocr.Tests")]

namespace ECase.Infrastructure.Ocr;

/// <summary>An owned reference to a leptonica <c>PIX</c>; released with <c>pixDestroy</c> (reference counted, so clones are safe).</summary>
internal sealed class PixHandle : SafeHandle
{
    public PixHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>True if both handles refer to the same PIX (leptonica's pixClone returns the same pointer).</summary>
    public bool IsSamePixAs(PixHandle other) => handle == other.handle;

    protected override bool ReleaseHandle()
    {
        var p = handle;
        LeptonicaNative.pixDestroy(ref p);
        return true;
    }
}

/// <summary>
/// Bindings to leptonica 1.82 (Debian <c>liblept.so.5</c>; the unversioned name only comes with the -dev package).
/// Functions returning <c>l_ok</c> return 0 on success. Only in-memory readers are used: leptonica's file readers fall back
/// to the file name's tail in the current directory when a path does not exist.
/// </summary>
internal static partial class LeptonicaNative
{
    private const string Lib = "liblept.so.5";

    // imageio.h: IFF_*
    public const int IffUnknown = 0, IffBmp = 1, IffJfifJpeg = 2, IffPng = 3, IffTiff = 4, IffTiffPackbits = 5, IffTiffRle = 6,
        IffTiffG3 = 7, IffTiffG4 = 8, IffTiffLzw = 9, IffTiffZip = 10, IffPnm = 11, IffPs = 12, IffGif = 13, IffJp2 = 14,
        IffWebP = 15, IffLpdf = 16, IffTiffJpeg = 17, IffDefault = 18, IffSpix = 19;

    public static bool IsTiff(int format) => format is IffTiff or IffTiffPackbits or IffTiffRle or IffTiffG3 or IffTiffG4
        or IffTiffLzw or IffTiffZip or IffTiffJpeg;

    public const int RemoveCmapBasedOnSrc = 4; // pix.h REMOVE_CMAP_BASED_ON_SRC
    public const int SeverityError = 5; // environ.h L_SEVERITY_ERROR

    [LibraryImport(Lib)]
    public static partial void pixDestroy(ref IntPtr ppix);

    [LibraryImport(Lib)]
    public static partial int findFileFormatBuffer(byte[] buf, out int format);

    [LibraryImport(Lib)]
    public static partial int pixReadHeaderMem(byte[] data, nuint size, out int format, out int w, out int h, out int bps,
        out int spp, out int iscmap);

    [LibraryImport(Lib)]
    public static partial int readHeaderMemTiff(byte[] data, nuint size, int n, out int w, out int h, out int bps, out int spp,
        out int res, out int cmap, out int format);

    [LibraryImport(Lib)]
    public static partial PixHandle pixReadMem(byte[] data, nuint size);

    [LibraryImport(Lib)]
    public static partial PixHandle pixReadMemTiff(byte[] data, nuint size, int n);

    [LibraryImport(Lib)]
    public static partial int pixGetWidth(PixHandle pix);

    [LibraryImport(Lib)]
    public static partial int pixGetHeight(PixHandle pix);

    [LibraryImport(Lib)]
    public static partial int pixGetDepth(PixHandle pix);

    [LibraryImport(Lib)]
    public static partial int pixGetSpp(PixHandle pix);

    [LibraryImport(Lib)]
    public static partial int pixGetXRes(PixHandle pix);

    [LibraryImport(Lib)]
    public static partial int pixGetYRes(PixHandle pix);

    [LibraryImport(Lib)]
    public static partial IntPtr pixGetData(PixHandle pix);

    [LibraryImport(Lib)]
    public static partial int pixGetWpl(PixHandle pix);

    [LibraryImport(Lib)]
    public static partial int pixSetResolution(PixHandle pix, int xres, int yres);

    [LibraryImport(Lib)]
    public static partial IntPtr pixGetColormap(PixHandle pix);

    [LibraryImport(Lib)]
    public static partial PixHandle pixRemoveColormap(PixHandle pix, int type);

    [LibraryImport(Lib)]
    public static partial PixHandle pixRemoveAlpha(PixHandle pix);

    [LibraryImport(Lib)]
    public static partial PixHandle pixConvertTo8(PixHandle pix, int cmapflag);

    /// <summary>Finds the skew (on a binarized copy) and rotates by it if |angle| ≥ 0.1° and conf ≥ 3; otherwise returns a clone.</summary>
    [LibraryImport(Lib)]
    public static partial PixHandle pixDeskewGeneral(PixHandle pix, int redsweep, float sweeprange, float sweepdelta, int redsearch,
        int thresh, out float angle, out float conf);

    [LibraryImport(Lib)]
    public static partial int pixWriteMemJpeg(out IntPtr data, out nuint size, PixHandle pix, int quality, int progressive);

    [LibraryImport(Lib)]
    public static partial PixHandle pixCreate(int width, int height, int depth);

    [LibraryImport(Lib)]
    public static partial PixHandle pixConvertTo32(PixHandle pix);

    [LibraryImport(Lib)]
    public static partial PixHandle pixConvertTo1(PixHandle pix, int threshold);

    [LibraryImport(Lib)]
    public static partial int pixWriteMemTiff(out IntPtr data, out nuint size, PixHandle pix, int comptype);

    [LibraryImport(Lib)]
    public static partial int pixWriteMemPng(out IntPtr data, out nuint size, PixHandle pix, float gamma);

    [LibraryImport(Lib)]
    public static partial void lept_free(IntPtr ptr);

    [LibraryImport(Lib)]
    public static partial int setMsgSeverity(int newsev);

    /// <summary>Copies a buffer allocated by leptonica into managed memory and frees it.</summary>
    public static byte[] TakeBuffer(IntPtr data, nuint size)
    {
        try
        {
            var bytes = new byte[checked((int)size)];
            Marshal.Copy(data, bytes, 0, bytes.Length);
            return bytes;
        }
        finally
        {
            lept_free(data);
        }
    }
}
