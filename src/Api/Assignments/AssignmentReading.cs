using Fieldlab.Access.Store;
using Fieldlab.Api.Access;
using Fieldlab.Api.Datasets;
using Fieldlab.Datasets;
using Fieldlab.Datasets.Assignments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Assignments;

/// <summary>Reading assignments: the list, one assignment with its task, format and files, and the dataset's public
/// files — the only way a student reaches a dataset's files (its hidden labels lie in a folder no file name can reach).</summary>
public static class AssignmentReading
{
    /// <summary>GET /api/assignments</summary>
    public static async Task<IResult> ListAsync(HttpContext context, TenantView view, MetadataDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var list = await view.Assignments(caller, AssignmentsApi.Read).OrderByDescending(a => a.CreatedAt).Take(500).ToListAsync(cancellationToken);
        var classIds = list.Select(a => a.ClassId).ToHashSet();
        var classes = await db.Classes.AsNoTracking().Where(c => classIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        return TypedResults.Ok(list.Select(a => Summary(a, classes.GetValueOrDefault(a.ClassId) ?? "", now)));
    }

    /// <summary>GET /api/assignments/{id}</summary>
    public static async Task<IResult> GetAsync(int id, HttpContext context, TenantView view, MetadataDb db, IOptions<DatasetOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        if (await AssignmentsApi.FindAsync(view, db, caller, id, AssignmentsApi.Read, cancellationToken) is not { } found) return AssignmentsApi.NotFound(id);
        var (assignment, dataset) = found;
        var className = await db.Classes.AsNoTracking().Where(c => c.Id == assignment.ClassId).Select(c => c.Name).FirstAsync(cancellationToken);
        var folder = new DatasetDirectory(options.Value.Directory).PathOf(dataset.Id, dataset.Version);
        var files = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder).Select(f => new FileInfo(f)).Where(f => IsPublicName(f.Name)).OrderBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => new { name = f.Name, bytes = f.Length, url = $"/api/assignments/{id}/files/{f.Name}" }).ToList()
            : [];
        return TypedResults.Ok(new
        {
            assignment = Summary(assignment, className, time.GetUtcNow().UtcDateTime),
            dataset = new { id = dataset.Id, version = dataset.Version, rigs = dataset.Rigs.Split(','), from = dataset.From, to = dataset.To, rows = dataset.Rows },
            submission_format = SubmissionFormat.Of(assignment, dataset),
            files,
        });
    }

    /// <summary>GET /api/assignments/{id}/files/{name}</summary>
    public static async Task<IResult> FileAsync(int id, string name, HttpContext context, TenantView view, MetadataDb db, IOptions<DatasetOptions> options, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        if (await AssignmentsApi.FindAsync(view, db, caller, id, AssignmentsApi.Read, cancellationToken) is not { } found) return AssignmentsApi.NotFound(id);
        var dataset = found.Dataset;
        var path = Path.Combine(new DatasetDirectory(options.Value.Directory).PathOf(dataset.Id, dataset.Version), name);
        if (!IsPublicName(name) || !File.Exists(path)) return TypedResults.Problem($"No file '{name}' in assignment {id}'s dataset.", statusCode: 404, title: "Unknown file");
        var type = name.EndsWith(".parquet", StringComparison.Ordinal) ? "application/vnd.apache.parquet" : name.EndsWith(".json", StringComparison.Ordinal) ? "application/json"
            : name.EndsWith(".md", StringComparison.Ordinal) ? "text/markdown; charset=utf-8" : "text/csv; charset=utf-8";
        return TypedResults.PhysicalFile(path, type, $"{dataset.Id}-v{dataset.Version}-{name}", enableRangeProcessing: true);
    }

    /// <summary>An assignment as lists show it.</summary>
    public static object Summary(Assignment a, string className, DateTime now)
    {
        var (metric, higher) = TaskKinds.Leaderboard(TaskKinds.Parse(a.Task) ?? TaskKind.Detection);
        return new
        {
            id = a.Id, title = a.Title, site = a.SiteId, @class = className, dataset = a.DatasetId, dataset_version = a.DatasetVersion, task = a.Task,
            window_seconds = a.WindowSeconds, failure_label = a.FailureLabel, deadline = DateTime.SpecifyKind(a.Deadline, DateTimeKind.Utc),
            closed = AssignmentsApi.Closed(a, now), submissions_per_day = a.SubmissionsPerDay, public_share = a.PublicShare, metric, higher_is_better = higher,
            created_by = a.CreatedBy, created_at = DateTime.SpecifyKind(a.CreatedAt, DateTimeKind.Utc),
        };
    }

    // A plain file name of the version's folder, and never the labels: no path may leave it or reach .hidden.
    private static bool IsPublicName(string name) =>
        name.Length > 0 && !name.StartsWith('.') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') && name != LabelsFile.FileName;
}
