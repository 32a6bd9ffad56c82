using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace ECase.Bench;

/// <summary>
/// Ctrl-C and SIGTERM cancel the run instead of killing it, so every phase's <c>finally</c> still drops the throwaway
/// schemas and deletes the temporary folders it created.
/// </summary>
public sealed class BenchCancellation : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly string _message;
    private readonly System.Runtime.InteropServices.PosixSignalRegistration _sigterm;

    public BenchCancellation(string message)
    {
        _message = message;
        Console.CancelKeyPress += OnCancelKeyPress;
        _sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            _cts.Cancel();
        });
    }

    public CancellationToken Token => _cts.Token;

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        Console.Error.WriteLine(_message);
        _cts.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _sigterm.Dispose();
        _cts.Dispose();
    }
}

public static class Names
{
    /// <summary>A fresh lower-case schema name such as <c>bench_3f9a01c2</c>.</summary>
    public static string Schema(string prefix) => $"{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    public static string TempDirectory(string prefix)
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }

    public static void DeleteDirectory(string dir)
    {
        try
        {
            if (System.IO.Directory.Exists(dir)) System.IO.Directory.Delete(dir, recursive: true);
        }
        catch (System.IO.IOException e)
        {
            Console.Error.WriteLine($"warning: could not delete {dir}: {e.Message}");
        }
    }
}

public static class Sql
{
    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Drops a throwaway schema; never cancelled, so it also runs after Ctrl-C.</summary>
    public static async Task DropSchemaAsync(NpgsqlDataSource dataSource, string schema)
    {
        try
        {
            await ExecuteAsync(dataSource, $"DROP SCHEMA IF EXISTS {schema} CASCADE", CancellationToken.None);
            Console.Error.WriteLine($"dropped schema {schema}"); // stderr: the RESULT line stays the last line of stdout
        }
        catch (NpgsqlException e)
        {
            Console.Error.WriteLine($"warning: could not drop schema {schema}: {e.Message}");
        }
    }

    public static async Task DropSchemaAsync(string connectionString, string schema)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await DropSchemaAsync(dataSource, schema);
    }
}

/// <summary>Small PDF-like documents: start with <c>%PDF-</c> and end with <c>%%EOF</c>, unique per call so the content store never deduplicates.</summary>
public static class BenchPdf
{
    public static byte[] Create(int size, string id)
    {
        var head = string.Create(CultureInfo.InvariantCulture,
            $"%PDF-1.4\n% ECase benchmark document {id}\n1 0 obj\n<< /Type /Catalog >>\nendobj\nstream\n");
        const string tail = "\nendstream\n%%EOF\n";
        var sb = new StringBuilder(size).Append(head);
        const string filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ";
        while (sb.Length + tail.Length < size) sb.Append(filler);
        sb.Length = Math.Max(head.Length, size - tail.Length);
        sb.Append(tail);
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}

/// <summary>
/// The entry of a benchmark: options parsed (a bad one prints the message and usage, exit 2), then the run with Ctrl-C and
/// SIGTERM cancelling it cleanly (exit 130).
/// </summary>
public static class BenchMain
{
    public static async Task<int> RunAsync<TOptions>(
        string[] args, Func<string[], TOptions> parse, string usage, string cancelling, Func<TOptions, CancellationToken, Task<int>> run)
    {
        TOptions options;
        try
        {
            options = parse(args);
        }
        catch (ArgumentException e)
        {
            if (e.Message.Length > 0) Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(usage);
            return 2;
        }

        using var cancel = new BenchCancellation(cancelling);
        try
        {
            return await run(options, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.Token.IsCancellationRequested)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
    }
}
