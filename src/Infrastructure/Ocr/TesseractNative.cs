using System.Runtime.InteropServices;

namespace ECase.Infrastructure.Ocr;

/// <summary>An owned <c>TessBaseAPI*</c>; released with <c>TessBaseAPIEnd</c> + <c>TessBaseAPIDelete</c>.</summary>
internal sealed class TessApiHandle : SafeHandle
{
    public TessApiHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        TesseractNative.TessBaseAPIEnd(handle);
        TesseractNative.TessBaseAPIDelete(handle);
        return true;
    }
}

/// <summary>
/// Bindings to the Tesseract 5 C API (Debian <c>libtesseract.so.5</c>). <c>BOOL</c> is <c>int</c>; strings returned by
/// Tesseract are freed with <see cref="TessDeleteText"/>.
/// </summary>
internal static partial class TesseractNative
{
    private const string Lib = "libtesseract.so.5";

    // capi.h enums
    public const int OemLstmOnly = 1;
    public const int PsmAuto = 3;
    public const int RilBlock = 0, RilPara = 1, RilTextline = 2, RilWord = 3;

    /// <summary>
    /// libtesseract links libgomp, which reads OMP_THREAD_LIMIT once, when it is loaded. Tesseract's OpenMP threads make
    /// recognition ~4x slower on 2 cores (they compete with our own pool), so the limit must be in the native environment
    /// before the first call into this class loads the library. Environment.SetEnvironmentVariable only changes the
    /// runtime's copy, hence libc setenv. This static constructor runs before any binding below is called.
    /// </summary>
    static TesseractNative()
    {
        _ = NativeEnvironment.setenv("OMP_THREAD_LIMIT", "1", 1);
    }

    [LibraryImport(Lib)]
    public static partial IntPtr TessVersion();

    [LibraryImport(Lib)]
    public static partial void TessDeleteText(IntPtr text);

    [LibraryImport(Lib)]
    public static partial TessApiHandle TessBaseAPICreate();

    [LibraryImport(Lib)]
    public static partial void TessBaseAPIDelete(IntPtr handle);

    [LibraryImport(Lib)]
    public static partial void TessBaseAPIEnd(IntPtr handle);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TessBaseAPIInit2(TessApiHandle handle, string datapath, string language, int oem);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TessBaseAPISetVariable(TessApiHandle handle, string name, string value);

    [LibraryImport(Lib)]
    public static partial void TessBaseAPISetPageSegMode(TessApiHandle handle, int mode);

    [LibraryImport(Lib)]
    public static partial void TessBaseAPISetImage2(TessApiHandle handle, PixHandle pix);

    [LibraryImport(Lib)]
    public static partial void TessBaseAPISetSourceResolution(TessApiHandle handle, int ppi);

    [LibraryImport(Lib)]
    public static partial int TessBaseAPIRecognize(TessApiHandle handle, IntPtr monitor);

    [LibraryImport(Lib)]
    public static partial int TessBaseAPIMeanTextConf(TessApiHandle handle);

    [LibraryImport(Lib)]
    public static partial IntPtr TessBaseAPIGetIterator(TessApiHandle handle);

    [LibraryImport(Lib)]
    public static partial void TessBaseAPIClear(TessApiHandle handle);

    [LibraryImport(Lib)]
    public static partial void TessResultIteratorDelete(IntPtr it);

    [LibraryImport(Lib)]
    public static partial IntPtr TessResultIteratorGetPageIterator(IntPtr it);

    [LibraryImport(Lib)]
    public static partial int TessResultIteratorNext(IntPtr it, int level);

    [LibraryImport(Lib)]
    public static partial IntPtr TessResultIteratorGetUTF8Text(IntPtr it, int level);

    [LibraryImport(Lib)]
    public static partial float TessResultIteratorConfidence(IntPtr it, int level);

    [LibraryImport(Lib)]
    public static partial int TessPageIteratorIsAtBeginningOf(IntPtr pageIt, int level);

    [LibraryImport(Lib)]
    public static partial int TessPageIteratorBoundingBox(IntPtr pageIt, int level, out int left, out int top, out int right,
        out int bottom);

    [LibraryImport(Lib)]
    public static partial IntPtr TessMonitorCreate();

    [LibraryImport(Lib)]
    public static partial void TessMonitorDelete(IntPtr monitor);

    /// <summary><c>cancelFunc</c>: <c>bool (*)(void* cancel_this, int words)</c>, polled before each word.</summary>
    [LibraryImport(Lib)]
    public static partial void TessMonitorSetCancelFunc(IntPtr monitor, IntPtr cancelFunc);

    [LibraryImport(Lib)]
    public static partial void TessMonitorSetCancelThis(IntPtr monitor, IntPtr cancelThis);

    /// <summary>Takes a string returned by Tesseract (UTF-8) and frees it; null stays null.</summary>
    public static string? TakeText(IntPtr text)
    {
        if (text == IntPtr.Zero) return null;
        try
        {
            return Marshal.PtrToStringUTF8(text);
        }
        finally
        {
            TessDeleteText(text);
        }
    }

    public static string Version => Marshal.PtrToStringUTF8(TessVersion()) ?? "?";
}

internal static partial class NativeEnvironment
{
    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int setenv(string name, string value, int overwrite);
}
