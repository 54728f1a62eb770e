using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Api.Access;
using Fieldlab.Datasets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Datasets;

/// <summary>Frozen datasets (docs/datasets.md): freeze (<c>POST /api/datasets</c>), list, one dataset's manifest and
/// its files, served byte for byte as frozen. Who sees a dataset: an instructor those of its site (not a company's),
/// a company member its company's, an administrator all; anyone else gets 404 for it, like an unknown one.</summary>
public static class DatasetsApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var datasets = app.MapGroup("/api/datasets").WithTags("Datasets");
        datasets.MapPost("/", FreezeAsync).WithName("FreezeDataset").RequireRight("dataset", "freeze")
            .WithSummary("Freezes the samples of rigs in a range [from, to) into an immutable, versioned dataset (CSV, Parquet, replay; Frictionless manifest).");
        datasets.MapGet("/", ListAsync).WithName("ListDatasets").RequireRight("dataset", "read").WithSummary("The datasets the caller may read, newest first.");
        datasets.MapGet("/{id}", ManifestAsync).WithName("DatasetManifest").RequireRight("dataset", "read")
            .WithSummary("A dataset's datapackage.json (the newest version, or ?version=N).");
        datasets.MapGet("/{id}/versions/{version}/files/{name}", FileAsync).WithName("DatasetFile").RequireRight("dataset", "read")
            .WithSummary("One file of a dataset version, exactly as frozen (its SHA-256 is in the manifest and the ETag).");
        datasets.MapGet("/{id}/versions/{version}/labels", LabelsAsync).WithName("DatasetLabels").RequireRight("dataset", "read")
            .WithSummary("A dataset version's labels (labels.csv), published or hidden: hidden labels reach only those who may read the dataset, never its files.");
        return app;
    }

    /// <summary>POST /api/datasets</summary>
    public static async Task<IResult> FreezeAsync(FreezeRequest request, HttpContext context, DatasetFreezer freezer, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var outcome = await freezer.FreezeAsync(caller, request, cancellationToken);
        if (outcome.Errors is not null) return TypedResults.ValidationProblem(outcome.Errors);
        if (outcome.Dataset is not { } d) return TypedResults.Problem(outcome.Problem, statusCode: outcome.Status);
        return TypedResults.Created($"/api/datasets/{d.Id}?version={d.Version}", new
        {
            id = d.Id, version = d.Version, rows = d.Rows, sha256 = d.SamplesSha256, bytes = d.Bytes,
            files = outcome.Files!.Select(f => new { name = f.Name, format = f.Format, bytes = f.Bytes, sha256 = f.Sha256, rows = f.Rows, url = $"/api/datasets/{d.Id}/versions/{d.Version}/files/{f.Name}" }),
        });
    }

    /// <summary>GET /api/datasets</summary>
    public static async Task<IResult> ListAsync(HttpContext context, MetadataDb db, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var list = await Visible(db, caller).OrderByDescending(d => d.FrozenAt).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(list.Select(d => new
        {
            id = d.Id, version = d.Version, site = d.SiteId, rigs = d.Rigs.Split(','), from = d.From, to = d.To, frozen_by = d.FrozenBy, frozen_at = d.FrozenAt,
            rows = d.Rows, sha256 = d.SamplesSha256, bytes = d.Bytes, labels = d.Labels, labels_hidden = d.LabelsHidden,
            parts = d.Parts.Split(',', StringSplitOptions.RemoveEmptyEntries),
        }));
    }

    /// <summary>GET /api/datasets/{id}?version=</summary>
    public static async Task<IResult> ManifestAsync(string id, int? version, HttpContext context, MetadataDb db, IOptions<DatasetOptions> options, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var record = await Visible(db, caller).Where(d => d.Id == id && (version == null || d.Version == version)).OrderByDescending(d => d.Version).FirstOrDefaultAsync(cancellationToken);
        if (record is null) return TypedResults.Problem($"No dataset '{id}'{(version is null ? "" : $" version {version}")}.", statusCode: 404, title: "Unknown dataset");
        var path = Path.Combine(new DatasetDirectory(options.Value.Directory).PathOf(record.Id, record.Version), "datapackage.json");
        if (!File.Exists(path)) return TypedResults.Problem($"The files of {record.Id} v{record.Version} are missing from the dataset directory.", statusCode: 500, title: "Dataset files missing");
        return TypedResults.Text(await File.ReadAllTextAsync(path, cancellationToken), "application/json");
    }

    /// <summary>GET /api/datasets/{id}/versions/{version}/files/{name}</summary>
    public static async Task<IResult> FileAsync(string id, int version, string name, HttpContext context, MetadataDb db, IOptions<DatasetOptions> options, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var record = await Visible(db, caller).FirstOrDefaultAsync(d => d.Id == id && d.Version == version, cancellationToken);
        // Only a plain file name of the folder: no path may leave it.
        if (record is null || name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')) || name.StartsWith('.'))
            return TypedResults.Problem($"No file '{name}' in dataset '{id}' version {version}.", statusCode: 404, title: "Unknown dataset file");
        var path = Path.Combine(new DatasetDirectory(options.Value.Directory).PathOf(record.Id, record.Version), name);
        if (!File.Exists(path)) return TypedResults.Problem($"No file '{name}' in dataset '{id}' version {version}.", statusCode: 404, title: "Unknown dataset file");
        var type = name.EndsWith(".parquet", StringComparison.Ordinal) ? "application/vnd.apache.parquet" : name.EndsWith(".json", StringComparison.Ordinal) ? "application/json"
            : name.EndsWith(".md", StringComparison.Ordinal) ? "text/markdown; charset=utf-8" : "text/csv; charset=utf-8";
        return TypedResults.PhysicalFile(path, type, $"{record.Id}-v{record.Version}-{name}", enableRangeProcessing: true);
    }

    /// <summary>GET /api/datasets/{id}/versions/{version}/labels</summary>
    public static async Task<IResult> LabelsAsync(string id, int version, HttpContext context, MetadataDb db, IOptions<DatasetOptions> options, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var record = await Visible(db, caller).FirstOrDefaultAsync(d => d.Id == id && d.Version == version, cancellationToken);
        if (record is null) return TypedResults.Problem($"No dataset '{id}' version {version}.", statusCode: 404, title: "Unknown dataset");
        var path = LabelsPath(options.Value, record);
        if (!File.Exists(path)) return TypedResults.Problem($"The labels of {record.Id} v{record.Version} are missing from the dataset directory.", statusCode: 500, title: "Dataset files missing");
        return TypedResults.PhysicalFile(path, "text/csv; charset=utf-8", $"{record.Id}-v{record.Version}-labels.csv");
    }

    /// <summary>Where a version's labels lie: beside the samples, or in its hidden folder.</summary>
    public static string LabelsPath(DatasetOptions options, DatasetRecord record)
    {
        var folder = new DatasetDirectory(options.Directory).PathOf(record.Id, record.Version);
        return record.LabelsHidden ? Path.Combine(folder, LabelsFile.HiddenFolder, LabelsFile.FileName) : Path.Combine(folder, LabelsFile.FileName);
    }

    /// <summary>The datasets <paramref name="caller"/> may read (the rights table's scopes for dataset/read).</summary>
    public static IQueryable<DatasetRecord> Visible(MetadataDb db, Caller caller) => caller.Role switch
    {
        Role.Administrator => db.Datasets.AsNoTracking(),
        Role.Instructor => db.Datasets.AsNoTracking().Where(d => d.SiteId == caller.SiteId && d.OrganisationId == null),
        Role.CompanyMember => db.Datasets.AsNoTracking().Where(d => d.OrganisationId != null && d.OrganisationId == caller.OrganisationId),
        _ => db.Datasets.AsNoTracking().Where(_ => false),
    };
}
