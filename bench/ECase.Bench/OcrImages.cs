using System.Runtime.InteropServices;

namespace ECase.Bench;

/// <summary>
/// Benchmark-side image handling through leptonica 1.82 (<c>liblept.so.5</c>, the same library the OCR engine uses):
/// split multi-page TIFFs into lossless single-page PNGs for the Tesseract CLI, and cut a small warm-up page out of a
/// corpus page. None of this is timed. In-memory readers only (leptonica's file readers fall back to the file name's
/// tail in the current directory when a path does not exist).
/// </summary>
public static class OcrImages
{
    /// <summary>Decodes page <paramref name="pageIndex"/> (0-based) and writes it as PNG (lossless, resolution kept).</summary>
    public static void WritePageAsPng(string imagePath, int pageIndex, string pngPath)
    {
        var data = System.IO.File.ReadAllBytes(imagePath);
        var pix = Read(data, pageIndex, imagePath);
        try
        {
            System.IO.File.WriteAllBytes(pngPath, Png(pix, imagePath));
        }
        finally
        {
            Native.pixDestroy(ref pix);
        }
    }

    /// <summary>The resolution stored in page 1 (0 when none is stored).</summary>
    public static int Dpi(string imagePath)
    {
        var data = System.IO.File.ReadAllBytes(imagePath);
        var pix = Read(data, 0, imagePath);
        try
        {
            return Math.Max(Native.pixGetXRes(pix), Native.pixGetYRes(pix));
        }
        finally
        {
            Native.pixDestroy(ref pix);
        }
    }

    /// <summary>
    /// A small page for warming up the engines: the top <paramref name="fraction"/> of page 1 below the top margin, full width,
    /// as PNG with the page's resolution. Its text is a few real lines of the corpus.
    /// </summary>
    public static byte[] WarmUpPng(string imagePath, double fraction = 0.18)
    {
        var data = System.IO.File.ReadAllBytes(imagePath);
        var pix = Read(data, 0, imagePath);
        var box = IntPtr.Zero;
        var clip = IntPtr.Zero;
        try
        {
            var w = Native.pixGetWidth(pix);
            var h = Native.pixGetHeight(pix);
            box = Native.boxCreate(0, (int)(h * 0.05), w, Math.Max(64, (int)(h * fraction)));
            clip = Native.pixClipRectangle(pix, box, IntPtr.Zero);
            if (clip == IntPtr.Zero) throw new InvalidOperationException($"{imagePath}: leptonica could not clip the warm-up page.");
            return Png(clip, imagePath);
        }
        finally
        {
            if (clip != IntPtr.Zero) Native.pixDestroy(ref clip);
            if (box != IntPtr.Zero) Native.boxDestroy(ref box);
            Native.pixDestroy(ref pix);
        }
    }

    /// <summary>Step timings for the profile phase: decode, leptonica deskew and JPEG encoding as the engine does them.</summary>
    public sealed record Steps(double DecodeS, double DeskewS, double JpegS, float Angle, byte[] DeskewedPng);

    public static Steps Profile(string imagePath, int pageIndex, int jpegQuality)
    {
        var data = System.IO.File.ReadAllBytes(imagePath);
        var t = OcrCpuMeter.CpuSeconds().Self;
        double Lap()
        {
            var now = OcrCpuMeter.CpuSeconds().Self;
            var d = now - t;
            t = now;
            return d;
        }
        var pix = Read(data, pageIndex, imagePath);
        var decode = Lap();
        var deskewed = Native.pixDeskewGeneral(pix, 0, 0f, 0f, 0, 0, out var angle, out _);
        var deskew = Lap();
        var image = deskewed == IntPtr.Zero ? pix : deskewed;
        try
        {
            if (Native.pixWriteMemJpeg(out var jpeg, out _, image, jpegQuality, 0) != 0) throw new InvalidOperationException("JPEG encoding failed");
            var jpegS = Lap();
            Native.lept_free(jpeg);
            return new Steps(decode, deskew, jpegS, angle, Png(image, imagePath));
        }
        finally
        {
            if (deskewed != IntPtr.Zero) Native.pixDestroy(ref deskewed); // a clone when the skew is tiny: reference counted
            Native.pixDestroy(ref pix);
        }
    }

    private static IntPtr Read(byte[] data, int pageIndex, string name)
    {
        var isTiff = data.Length > 4 && ((data[0] == 'I' && data[1] == 'I') || (data[0] == 'M' && data[1] == 'M'));
        var pix = isTiff ? Native.pixReadMemTiff(data, (nuint)data.Length, pageIndex) : pageIndex == 0 ? Native.pixReadMem(data, (nuint)data.Length) : IntPtr.Zero;
        return pix != IntPtr.Zero ? pix : throw new InvalidOperationException($"{name}: leptonica could not read page {pageIndex + 1}.");
    }

    private static byte[] Png(IntPtr pix, string name)
    {
        if (Native.pixWriteMem(out var buffer, out var size, pix, IffPng) != 0 || buffer == IntPtr.Zero)
            throw new InvalidOperationException($"{name}: leptonica could not encode PNG.");
        try
        {
            var bytes = new byte[(int)size];
            Marshal.Copy(buffer, bytes, 0, bytes.Length);
            return bytes;
        }
        finally
        {
            Native.lept_free(buffer);
        }
    }

    private const int IffPng = 3;

    private static class Native
    {
        private const string Lib = "liblept.so.5";

        [DllImport(Lib)]
        public static extern IntPtr pixReadMem(byte[] data, nuint size);

        [DllImport(Lib)]
        public static extern IntPtr pixReadMemTiff(byte[] data, nuint size, int n);

        [DllImport(Lib)]
        public static extern int pixWriteMem(out IntPtr data, out nuint size, IntPtr pix, int format);

        [DllImport(Lib)]
        public static extern void pixDestroy(ref IntPtr pix);

        [DllImport(Lib)]
        public static extern int pixGetWidth(IntPtr pix);

        [DllImport(Lib)]
        public static extern int pixGetHeight(IntPtr pix);

        [DllImport(Lib)]
        public static extern int pixGetXRes(IntPtr pix);

        [DllImport(Lib)]
        public static extern int pixGetYRes(IntPtr pix);

        [DllImport(Lib)]
        public static extern IntPtr boxCreate(int x, int y, int w, int h);

        [DllImport(Lib)]
        public static extern void boxDestroy(ref IntPtr box);

        [DllImport(Lib)]
        public static extern IntPtr pixClipRectangle(IntPtr pix, IntPtr box, IntPtr boxc);

        [DllImport(Lib)]
        public static extern void lept_free(IntPtr ptr);

        [DllImport(Lib)]
        public static extern IntPtr pixDeskewGeneral(IntPtr pix, int redsweep, float sweeprange, float sweepdelta, int redsearch, int thresh, out float angle, out float conf);

        [DllImport(Lib)]
        public static extern int pixWriteMemJpeg(out IntPtr data, out nuint size, IntPtr pix, int quality, int progressive);
    }
}
