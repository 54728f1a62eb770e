using System.Security.Cryptography;
using Fieldlab.Access.Audit;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Api.Broker;
using Fieldlab.Api.Datasets;
using Fieldlab.Datasets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Sandboxes;

/// <summary>Opens sandboxes: a site of its own (<c>lab-…</c>) with one registered rig per replayed rig of a dataset,
/// visible to the host site's instructors and one class; its gateways' broker users exist before the call returns, so
/// that the replay can connect at once. The points, retained messages and registrations go when it expires
/// (<see cref="SandboxReaper"/>).</summary>
public sealed class SandboxRegistry(MetadataDb db, BrokerAccessSync broker, IOptions<SandboxOptions> options, IOptions<DatasetOptions> datasets, TimeProvider time)
{
    /// <summary>The outcome of opening one: the sandbox and its replay files, or a refusal.</summary>
    public sealed record Opened(Sandbox? Sandbox, DatasetRecord? Dataset, IReadOnlyList<SandboxReplayFile>? Files, int Status, string? Problem, Dictionary<string, string[]>? Errors);

    /// <summary>Opens a sandbox for dataset <paramref name="id"/>.</summary>
    public async Task<Opened> OpenAsync(Caller caller, string id, SandboxRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var errors = new Dictionary<string, string[]>();
        double speed = request.Speed ?? 10;
        if (!double.IsFinite(speed) || speed < 1 || speed > 100) errors["speed"] = ["from 1 to 100 (times real time)"];
        var lifetime = request.Hours is { } h ? (double.IsFinite(h) && h > 0 ? TimeSpan.FromHours(Math.Min(h, 1e6)) : TimeSpan.Zero) : settings.DefaultLifetime;
        if (lifetime <= TimeSpan.Zero || lifetime > settings.MaxLifetime) errors["hours"] = [$"more than 0 and at most {settings.MaxLifetime.TotalHours:0.#}"];
        if (errors.Count > 0) return new Opened(null, null, null, 400, null, errors);

        var dataset = await DatasetsApi.Visible(db, caller).Where(d => d.Id == id && (request.Version == null || d.Version == request.Version))
            .OrderByDescending(d => d.Version).FirstOrDefaultAsync(cancellationToken);
        if (dataset is null) return new Opened(null, null, null, 404, $"No dataset '{id}'{(request.Version is null ? "" : $" version {request.Version}")}.", null);
        if (dataset.OrganisationId is not null) return new Opened(null, null, null, 409, "A company's dataset is not replayed into a class's sandbox.", null);
        int? classId = null;
        if (!string.IsNullOrWhiteSpace(request.Class))
        {
            var schoolClass = await db.Classes.AsNoTracking().FirstOrDefaultAsync(c => c.SiteId == dataset.SiteId && c.Name == request.Class, cancellationToken);
            if (schoolClass is null) return new Opened(null, null, null, 400, null, new() { ["class"] = [$"no class '{request.Class}' at {dataset.SiteId}"] });
            classId = schoolClass.Id;
        }
        if (await db.Sandboxes.CountAsync(s => s.HostSiteId == dataset.SiteId, cancellationToken) >= settings.MaxPerSite)
            return new Opened(null, null, null, 409, $"{dataset.SiteId} runs {settings.MaxPerSite} sandboxes already (Sandboxes:MaxPerSite); end one first.", null);

        var folder = new DatasetDirectory(datasets.Value.Directory).PathOf(dataset.Id, dataset.Version);
        var files = await SandboxReplayFile.ReadAsync(folder, cancellationToken);
        // A replay gateway plays one stream; a rig with several scalar streams would need several gateways under one name.
        if (files.GroupBy(f => f.Rig).FirstOrDefault(g => g.Count() > 1) is { } multi)
            return new Opened(null, null, null, 409, $"{multi.Key} has {multi.Count()} streams in the dataset; a sandbox replays one stream per rig.", null);
        if (files.Count == 0) return new Opened(null, null, null, 409, $"{dataset.Id} v{dataset.Version} has no replay files.", null);

        var now = time.GetUtcNow().UtcDateTime;
        var site = $"lab-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await SiteRegistry.AddSiteAsync(db, site, $"Sandbox: {dataset.Id} v{dataset.Version}", now, cancellationToken);
            foreach (var file in files) await SiteRegistry.AddRigAsync(db, site, file.Rig, $"replay of {dataset.Id} v{dataset.Version} ({file.Kind})", now, cancellationToken);
            var sandbox = new Sandbox
            {
                SiteId = site, HostSiteId = dataset.SiteId, ClassId = classId, DatasetId = dataset.Id, DatasetVersion = dataset.Version, Speed = speed,
                CreatedBy = caller.UserName, CreatedAt = now, ExpiresAt = now + lifetime,
            };
            db.Sandboxes.Add(sandbox);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await AuditLog.WriteAsync(db, new AuditEntry
            {
                Time = now, Actor = caller.UserName, ActorRole = caller.Role.ToString(), Action = "sandbox.open", SiteId = dataset.SiteId, Target = site,
                Detail = $"dataset={dataset.Id} v{dataset.Version} speed={speed} class={request.Class ?? "-"} expires={sandbox.ExpiresAt:O}", Outcome = "ok",
            }, CancellationToken.None);
            // The gateways connect right after this returns: their broker users must exist by then.
            await broker.ApplyNowAsync(cancellationToken);
            return new Opened(sandbox, dataset, files, 201, null, null);
        }
    }

    /// <summary>The sandboxes the caller may manage (an instructor its site's, an administrator all).</summary>
    public IQueryable<Sandbox> Visible(Caller caller) => caller.Role switch
    {
        Role.Administrator => db.Sandboxes.AsNoTracking(),
        Role.Instructor => db.Sandboxes.AsNoTracking().Where(s => s.HostSiteId == caller.SiteId),
        _ => db.Sandboxes.AsNoTracking().Where(_ => false),
    };

    /// <summary>Records a replay's progress; false when the caller may not see the sandbox (or it is gone).</summary>
    public async Task<bool> ReportAsync(Caller caller, string site, SandboxProgress progress, CancellationToken cancellationToken)
    {
        if (!await Visible(caller).AnyAsync(s => s.SiteId == site, cancellationToken)) return false;
        var sandbox = await db.Sandboxes.FirstAsync(s => s.SiteId == site, cancellationToken);
        sandbox.Rows = Math.Max(sandbox.Rows, progress.Rows);
        if (progress.Finished && sandbox.FinishedAt is null) sandbox.FinishedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
