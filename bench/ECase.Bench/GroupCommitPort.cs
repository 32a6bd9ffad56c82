using System.Reflection;
using System.Threading.Channels;
using ECase.Application.Cases;
using ECase.Application.Content;
using ECase.Application.Scanning;
using ECase.Application.Submissions;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wolverine;

namespace ECase.Bench;

/// <summary>
/// EXPERIMENT for ADR 0024 option 1 (<c>--group-commit</c>, app phase only): what would a group commit buy? One loop
/// takes every command waiting at that moment, runs the real handlers one after the other against ONE identity session,
/// and commits them in one transaction; the jobs the handlers publish are sent after the commit. Not the product's path:
/// no per-command failure isolation (a failure fails the batch; in this benchmark every failure is a bug), no Wolverine
/// outbox. <see cref="ICasePort.OpenFileAsync"/> (1 % of the mix) still goes through the bus.
/// </summary>
public sealed class GroupCommitPort : ICasePort, IAsyncDisposable
{
    private const int MaxBatch = 64;
    private readonly IServiceProvider _services;
    private readonly ICasePort _bus;
    private readonly IDocumentStore _store;
    private readonly IContentStore _content;
    private readonly ITextExtractor _extractor;
    private readonly IOptions<ScanningOptions> _scanning;
    private readonly TimeProvider _clock;
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private long _batches, _commands;

    private sealed record Work(Func<IDocumentSession, IMessageContext, CancellationToken, Task<Guid>> Run, TaskCompletionSource<Guid> Done);

    public GroupCommitPort(IServiceProvider services)
    {
        _services = services;
        _bus = new AppPhase.BusPort(services);
        _store = services.GetRequiredService<IDocumentStore>();
        _content = services.GetRequiredService<IContentStore>();
        _extractor = services.GetRequiredService<ITextExtractor>();
        _scanning = services.GetRequiredService<IOptions<ScanningOptions>>();
        _clock = services.GetRequiredService<TimeProvider>();
        _loop = Task.Run(LoopAsync);
    }

    public double MeanBatch => _batches == 0 ? 0 : (double)_commands / _batches;

    public Task<Guid> OpenFileAsync(string title, CancellationToken ct) => _bus.OpenFileAsync(title, ct);

    public Task<Guid> OpenCaseAsync(Guid fileId, string title, CancellationToken ct) =>
        Enqueue(async (s, _, c) => (await OpenCaseHandler.Handle(new OpenCase(fileId, Guid.CreateVersion7(), title, null, AppPhase.Clerk), s, _clock, c)).Id);

    public async Task RegisterSubmissionAsync(Guid caseId, string subject, string fileName, byte[] document, CancellationToken ct)
    {
        var cmd = await AppPhase.BusPort.SubmissionAsync(_content, caseId, subject, fileName, document, ct);
        await Enqueue(async (s, m, c) => (await RegisterSubmissionHandler.Handle(cmd, s, m, _extractor, _scanning, _clock, c)).CaseId);
    }

    public Task CloseCaseAsync(Guid caseId, CancellationToken ct) =>
        Enqueue(async (s, _, c) => (await CloseCaseHandler.Handle(new CloseCase(caseId, null, AppPhase.Clerk), s, _clock, c)).Id);

    private Task<Guid> Enqueue(Func<IDocumentSession, IMessageContext, CancellationToken, Task<Guid>> run)
    {
        var done = new TaskCompletionSource<Guid>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Work(run, done))) done.SetException(new InvalidOperationException("group commit stopped"));
        return done.Task;
    }

    private async Task LoopAsync()
    {
        var batch = new List<Work>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var w)) batch.Add(w);
            var published = new List<object>();
            var messages = Collector.Create(published);
            var ids = new Guid[batch.Count];
            try
            {
                await using (var session = _store.IdentitySession())
                {
                    for (var i = 0; i < batch.Count; i++) ids[i] = await batch[i].Run(session, messages, CancellationToken.None);
                    await session.SaveChangesAsync();
                }

                _batches++;
                _commands += batch.Count;
                if (published.Count > 0)
                {
                    await using var scope = _services.CreateAsyncScope();
                    var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
                    foreach (var job in published) await bus.PublishAsync(job);
                }

                for (var i = 0; i < batch.Count; i++) batch[i].Done.SetResult(ids[i]);
            }
            catch (Exception e)
            {
                foreach (var w in batch) w.Done.TrySetException(e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    /// <summary>An <see cref="IMessageContext"/> that only collects what <c>PublishAsync</c> is given.</summary>
    public class Collector : DispatchProxy
    {
        private List<object> _published = [];

        public static IMessageContext Create(List<object> published)
        {
            var proxy = DispatchProxy.Create<IMessageContext, Collector>();
            ((Collector)(object)proxy)._published = published;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method?.Name == nameof(IMessageBus.PublishAsync) && args is [{ } message, ..])
            {
                _published.Add(message);
                return ValueTask.CompletedTask;
            }

            throw new NotSupportedException($"experiment: {method?.Name} is not supported");
        }
    }
}
