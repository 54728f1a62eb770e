using Fieldlab.Access.Audit;
using Fieldlab.Access.Store;
using Fieldlab.Telemetry.Hosting;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Audit;

/// <summary>How long the audit log is kept (section <c>Audit</c>).</summary>
public sealed class AuditOptions : IValidatableOptions
{
    /// <summary>Entries older than this are deleted (default one year: long enough for a school year and its appeals).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How often old entries are pruned.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(6);

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (Retention < TimeSpan.FromDays(1)) yield return "Retention: at least one day.";
        if (PruneInterval < TimeSpan.FromMinutes(1)) yield return "PruneInterval: at least one minute.";
    }
}

/// <summary>Deletes audit entries older than <see cref="AuditOptions.Retention"/>, at start and then every
/// <see cref="AuditOptions.PruneInterval"/>. A failure is logged and retried at the next interval.</summary>
public sealed partial class AuditRetention(IOptions<AuditOptions> options, MetadataDbFactory store, TimeProvider time, ILogger<AuditRetention> logger) : BackgroundService
{
    /// <summary>The last failure to prune, or null after a successful prune (reported by <c>/healthz</c>).</summary>
    public string? LastError { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var db = store.Create();
                int pruned = await AuditLog.PruneAsync(db, options.Value.Retention, time.GetUtcNow().UtcDateTime, stoppingToken);
                if (pruned > 0) LogPruned(pruned, options.Value.Retention.TotalDays);
                LastError = null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LastError = e.Message;
                LogFailed(e.Message);
            }
            try
            {
                await Task.Delay(options.Value.PruneInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(4301, LogLevel.Information, "Audit log: {Count} entries older than {Days} days deleted.")]
    private partial void LogPruned(int count, double days);

    [LoggerMessage(4302, LogLevel.Warning, "Audit log not pruned: {Reason}")]
    private partial void LogFailed(string reason);
}
