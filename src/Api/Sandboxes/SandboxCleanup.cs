using Fieldlab.Access.Audit;
using Fieldlab.Access.Store;
using Fieldlab.Api.Broker;
using Fieldlab.Api.Rigs;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Sandboxes;

/// <summary>Deletes a sandbox, in an order that leaves nothing behind: first its rigs' registrations (the broker then
/// refuses their gateways, so that no will or late batch re-creates a retained message), then the retained birth,
/// state, head and stored-through mark of each rig (empty retained messages, published by the API, which may write only there and only while the
/// sandbox exists), then every point stored under the sandbox's site (twice, a few seconds apart, for batches ingest
/// was still writing), then the sandbox and its site. Kept: the audit entries of its opening and closing.</summary>
public sealed partial class SandboxCleanup(MetadataDbFactory store, BrokerAccessSync broker, RigDirectoryListener mqtt, IOptions<SandboxOptions> options,
    IOptions<InfluxOptions> influx, TimeProvider time, ILogger<SandboxCleanup> logger)
{
    /// <summary>How long after the first deletion of points the second runs.</summary>
    public static readonly TimeSpan SecondPass = TimeSpan.FromSeconds(3);

    /// <summary>Deletes sandbox <paramref name="site"/>; <paramref name="actor"/> and <paramref name="role"/> name who ended it (or the reaper).</summary>
    public async Task DeleteAsync(string site, string actor, string role, CancellationToken cancellationToken)
    {
        List<string> rigs;
        string host;
        await using (var db = store.Create())
        {
            var sandbox = await db.Sandboxes.FirstOrDefaultAsync(s => s.SiteId == site, cancellationToken);
            if (sandbox is null) return;
            host = sandbox.HostSiteId;
            var records = await db.Rigs.Where(r => r.SiteId == site).ToListAsync(cancellationToken);
            rigs = [.. records.Select(r => r.RigId)];
            db.Rigs.RemoveRange(records);
            db.MaintenanceActions.RemoveRange(db.MaintenanceActions.Where(m => m.SiteId == site));
            db.AlertCases.RemoveRange(db.AlertCases.Where(a => a.SiteId == site));
            await db.SaveChangesAsync(cancellationToken);
        }
        await broker.ApplyNowAsync(cancellationToken);

        if (mqtt.Connection is not { State: MqttConnectionState.Connected } connection)
            throw new InvalidOperationException($"cannot clear the retained messages of sandbox {site}: the API is not connected to the broker");
        foreach (var rig in rigs)
        {
            var address = new RigAddress(site, rig);
            await connection.PublishAsync(FieldlabTopic.For(address, TopicChannel.Birth), ReadOnlyMemory<byte>.Empty, MqttQos.AtLeastOnce, retain: true, cancellationToken);
            foreach (var channel in new[] { TopicChannel.State, TopicChannel.Head, TopicChannel.Stored })
                await connection.PublishAsync(FieldlabTopic.For(address, channel), ReadOnlyMemory<byte>.Empty, MqttQos.AtLeastOnce, retain: true, cancellationToken);
        }

        using (var deleter = new InfluxClient(options.Value.DeleterOf(influx.Value)))
        {
            // DELETE without FROM reaches every measurement; the site tag is bound, never spliced into the statement.
            var delete = new InfluxQuery("DELETE WHERE site = $site").Bind("site", site);
            await deleter.QueryAsync(delete, cancellationToken);
            await Task.Delay(SecondPass, time, cancellationToken);
            await deleter.QueryAsync(delete, cancellationToken);
        }

        await using (var db = store.Create())
        {
            db.Sandboxes.RemoveRange(db.Sandboxes.Where(s => s.SiteId == site));
            db.Sites.RemoveRange(db.Sites.Where(s => s.Id == site));
            await db.SaveChangesAsync(cancellationToken);
            await AuditLog.WriteAsync(db, new AuditEntry
            {
                Time = time.GetUtcNow().UtcDateTime, Actor = actor, ActorRole = role, Action = "sandbox.delete", SiteId = host,
                Target = site, Detail = $"rigs={string.Join(',', rigs)}", Outcome = "ok",
            }, CancellationToken.None);
        }
        await broker.ApplyNowAsync(cancellationToken);
        LogDeleted(site, rigs.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox {Site} deleted: {Rigs} rigs, their retained messages and points")]
    private partial void LogDeleted(string site, int rigs);
}
