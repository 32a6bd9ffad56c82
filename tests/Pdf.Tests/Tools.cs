using System.Diagnostics;
using System.IO;
using System.Text;

namespace ECase.Pdf.Tests;

/// <summary>
/// Runs the offline checkers. A missing tool fails the test with the Debian package to install: nothing is skipped.
/// </summary>
public static class Tools
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public string All => StdOut + StdErr;
    }

    public static Result Qpdf(params string[] args) => Run("qpdf", "qpdf", args);
    public static Result PdfToText(params string[] args) => Run("pdftotext", "poppler-utils", args);
    public static Result PdfInfo(params string[] args) => Run("pdfinfo", "poppler-utils", args);
    public static Result PdfFonts(params string[] args) => Run("pdffonts", "poppler-utils", args);
    public static Result Ghostscript(params string[] args) => Run("gs", "ghostscript", args);
    public static Result Java(params string[] args) => Run("java", "default-jre-headless", args);

    /// <summary>A jar of a Debian package, e.g. /usr/share/java/preflight.jar of libpdfbox2-java.</summary>
    public static string Jar(string name, string debianPackage)
    {
        var path = Path.Combine("/usr/share/java", name);
        if (!File.Exists(path))
            Assert.Fail($"{path} is missing: install the Debian package {debianPackage} (apt-get install {debianPackage})");
        return path;
    }

    public static Result Run(string program, string debianPackage, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var path = Find(program);
        if (path is null)
            Assert.Fail($"'{program}' is not on PATH: install the Debian package {debianPackage} (apt-get install {debianPackage})");
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', args)} did not finish in time");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string? Find(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }
}
