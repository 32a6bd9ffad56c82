using System.Globalization;

namespace ECase.Bench;

/// <summary>The commands of the append mix, done either in-process (through IMessageBus) or over HTTP.</summary>
public interface ICasePort
{
    Task<Guid> OpenFileAsync(string title, CancellationToken ct);

    Task<Guid> OpenCaseAsync(Guid fileId, string title, CancellationToken ct);

    /// <summary>Stores the document's bytes and registers a submission carrying it.</summary>
    Task RegisterSubmissionAsync(Guid caseId, string subject, string fileName, byte[] document, CancellationToken ct);

    Task CloseCaseAsync(Guid caseId, CancellationToken ct);
}

/// <summary>
/// One writer of the app and http phases. It works only on its own files and cases, in this cycle:
/// OpenCase, K × RegisterSubmission (one small PDF each), CloseCase; after M cases it opens a fresh file (OpenFile),
/// so the live-folded case and file streams stay as short as real ones.
/// </summary>
public sealed class CaseCycleWriter(int writer, ICasePort port, BenchOptions options) : IBenchWriter
{
    public const int OpenFile = 0, OpenCase = 1, RegisterSubmission = 2, CloseCase = 3;

    public static readonly string[] Kinds = ["OpenFile", "OpenCase", "RegisterSubmission", "CloseCase"];

    private Guid? _file;
    private int _casesInFile;
    private Guid? _case;
    private int _submissionsInCase;
    private int _counter;

    public int NextKind =>
        _file is null || (_case is null && _casesInFile >= options.CasesPerFile) ? OpenFile
        : _case is null ? OpenCase
        : _submissionsInCase < options.SubmissionsPerCase ? RegisterSubmission
        : CloseCase;

    public async Task StepAsync(CancellationToken ct)
    {
        var n = ++_counter;
        switch (NextKind)
        {
            case OpenFile:
                _file = await port.OpenFileAsync(Invariant($"Benchmark file w{writer} #{n}"), ct);
                _casesInFile = 0;
                break;
            case OpenCase:
                _case = await port.OpenCaseAsync(_file!.Value, Invariant($"Benchmark case w{writer} #{n}"), ct);
                _submissionsInCase = 0;
                break;
            case RegisterSubmission:
                var id = Invariant($"w{writer}-{n}-{Guid.NewGuid():N}");
                await port.RegisterSubmissionAsync(_case!.Value, Invariant($"Eingang w{writer} #{n}"), Invariant($"Eingang-{n}.pdf"),
                    BenchPdf.Create(options.DocumentBytes, id), ct);
                _submissionsInCase++;
                break;
            default:
                await port.CloseCaseAsync(_case!.Value, ct);
                _case = null;
                _casesInFile++;
                break;
        }
    }

    /// <summary>After a failure, abandon the case (and the file after a failed OpenFile) and go on with fresh ones.</summary>
    public void Recover()
    {
        _case = null;
        _casesInFile++;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
