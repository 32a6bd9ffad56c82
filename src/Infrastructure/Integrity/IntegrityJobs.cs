using ECase.Application.Integrity;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ECase.Infrastructure.Integrity;

/// <summary>
/// Chains committed events shortly after they commit (outside the write path, so appends pay nothing for it) and seals
/// the changed chain heads periodically. Several nodes may run it: an advisory lock serialises them.
/// </summary>
public sealed partial class IntegrityJobs(IntegrityService integrity, IOptions<IntegrityOptions> options, ILogger<IntegrityJobs> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await integrity.EnsureSchemaAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.ChainIntervalMs <= 0) return;
        var nextSeal = DateTimeOffset.UtcNow.AddSeconds(o.SealIntervalSeconds);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(o.ChainIntervalMs));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await integrity.ChainPendingAsync(stoppingToken);
                if (o.SealIntervalSeconds > 0 && DateTimeOffset.UtcNow >= nextSeal)
                {
                    await integrity.SealAsync(stoppingToken);
                    nextSeal = DateTimeOffset.UtcNow.AddSeconds(o.SealIntervalSeconds);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Chaining or sealing events failed; retrying on the next tick")]
    private static partial void LogFailed(ILogger logger, Exception e);
}
