namespace ECase.Integration.Tests;

/// <summary>Files kept in tests/fixtures (see tests/fixtures/ocr/SOURCE.md for where the OCR pages come from).</summary>
public static class Fixtures
{
    public static string Root { get; } = FindRoot();

    public static string Ocr(string name) => System.IO.Path.Combine(Root, "tests", "fixtures", "ocr", name);

    /// <summary>Single-page images with ground truth: (image path, ground truth).</summary>
    public static IEnumerable<(string Image, string Truth)> SinglePages() =>
        System.IO.Directory.GetFiles(System.IO.Path.Combine(Root, "tests", "fixtures", "ocr"), "*.gt.txt")
            .Where(gt => !gt.Contains(".p", StringComparison.Ordinal) || !System.IO.Path.GetFileName(gt).Contains("_3p", StringComparison.Ordinal))
            .Select(gt => (Image: new[] { ".png", ".tif" }.Select(ext => gt[..^".gt.txt".Length] + ext).FirstOrDefault(System.IO.File.Exists), Truth: gt))
            .Where(x => x.Image is not null)
            .Select(x => (x.Image!, System.IO.File.ReadAllText(x.Truth)))
            .OrderBy(x => x.Item1, StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (var dir = new System.IO.DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "ECase.sln"))) return dir.FullName;
        throw new InvalidOperationException("ECase.sln not found above the test binaries.");
    }
}
