using System.Globalization;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Api.Access;
using Fieldlab.Api.Broker;
using Fieldlab.Api.Export;
using Fieldlab.Telemetry.Wire;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Tenancy;

/// <summary>Pilots: a company member reads its own (and shares them with instructors, and takes their export bundle);
/// an administrator creates and ends them. Another company's pilot answers 404, like one that does not exist.</summary>
public static class PilotsApi
{
    /// <summary>Maps <c>/api/pilots</c>.</summary>
    public static IEndpointRouteBuilder MapPilotsApi(this IEndpointRouteBuilder app)
    {
        var pilots = app.MapGroup("/api/pilots").WithTags("Pilots");
        pilots.MapGet("/", ListAsync).WithName("ListPilots").RequireRight("pilot", "read").WithSummary("Pilots the caller may see.");
        pilots.MapPost("/", CreateAsync).WithName("CreatePilot").RequireRight("pilot", "manage")
            .WithSummary("Creates a pilot {organisation, name, rigs: [\"site/rig\"], start, end (optional), shared_with_instructors}.");
        pilots.MapGet("/{id:int}", GetAsync).WithName("GetPilot").RequireRight("pilot", "read").WithSummary("One pilot.");
        pilots.MapPost("/{id:int}/end", EndAsync).WithName("EndPilot").RequireRight("pilot", "manage").WithSummary("Ends a pilot now (or at {at}).");
        pilots.MapPut("/{id:int}/sharing", ShareAsync).WithName("SharePilot").RequireRight("pilot", "share")
            .WithSummary("Shares the pilot's data with the site's instructors {shared: true} or stops.");
        pilots.MapGet("/{id:int}/export", ExportAsync).WithName("ExportPilot").RequireRight("pilot", "export")
            .WithSummary("The pilot's export bundle: a ZIP of every rig's data inside the window, with a manifest of SHA-256 sums.");
        return app;
    }

    /// <summary>GET /api/pilots</summary>
    public static async Task<IResult> ListAsync(HttpContext context, TenantView view, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var now = time.GetUtcNow().UtcDateTime;
        var pilots = await view.Pilots(caller).AsNoTracking().OrderBy(p => p.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(pilots.Select(p => PilotView.From(p, now)));
    }

    /// <summary>GET /api/pilots/{id}</summary>
    public static async Task<IResult> GetAsync(int id, HttpContext context, TenantView view, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var pilot = await view.PilotAsync(caller, id, new Right("pilot", "read"), cancellationToken);
        return pilot is null ? NotFound(id) : TypedResults.Ok(PilotView.From(pilot, time.GetUtcNow().UtcDateTime));
    }

    /// <summary>POST /api/pilots</summary>
    public static async Task<IResult> CreateAsync(NewPilotRequest request, HttpContext context, MetadataDb db, BrokerAccessSync broker, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var now = time.GetUtcNow().UtcDateTime;
        var problems = new Dictionary<string, string[]>();
        var rigs = new List<RigAddress>();
        foreach (var text in request.Rigs ?? [])
        {
            var parts = text.Split('/');
            if (parts.Length != 2 || !WireNames.IsValidSegment(parts[0]) || !WireNames.IsValidSegment(parts[1])) problems["rigs"] = [$"'{text}' is not site/rig"];
            else rigs.Add(new RigAddress(parts[0], parts[1]));
        }
        var start = ParseTime(request.Start, now, "start", problems);
        var end = request.End is null ? null : ParseTime(request.End, now, "end", problems);
        if (problems.Count > 0) return TypedResults.ValidationProblem(problems);
        return await TenancyResults.RunAsync(context, caller, "pilot.create", rigs.FirstOrDefault().Site, null, request.Organisation, request, async () =>
        {
            var pilot = await PilotBook.CreateAsync(db, request.Organisation ?? "", request.Name, rigs, start!.Value, end, request.SharedWithInstructors ?? false, now, cancellationToken);
            broker.Poke();
            return TypedResults.Created($"/api/pilots/{pilot.Id}", PilotView.From(pilot, now));
        });
    }

    /// <summary>POST /api/pilots/{id}/end</summary>
    public static async Task<IResult> EndAsync(int id, EndPilotRequest? request, HttpContext context, MetadataDb db, BrokerAccessSync broker, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var now = time.GetUtcNow().UtcDateTime;
        var problems = new Dictionary<string, string[]>();
        var at = request?.At is null ? now : ParseTime(request.At, now, "at", problems);
        if (problems.Count > 0) return TypedResults.ValidationProblem(problems);
        return await TenancyResults.RunAsync(context, caller, "pilot.end", null, null, $"pilot:{id}", request, async () =>
        {
            var pilot = await PilotBook.EndAsync(db, id, at!.Value, cancellationToken);
            // The broker must not let the company read past the end: apply before answering.
            await broker.ApplyNowAsync(cancellationToken);
            return TypedResults.Ok(PilotView.From(pilot, now));
        });
    }

    /// <summary>PUT /api/pilots/{id}/sharing</summary>
    public static async Task<IResult> ShareAsync(int id, SharingRequest request, HttpContext context, TenantView view, MetadataDb db, BrokerAccessSync broker,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        if (await view.PilotAsync(caller, id, new Right("pilot", "share"), cancellationToken) is null) return NotFound(id);
        return await TenancyResults.RunAsync(context, caller, "pilot.share", null, null, $"pilot:{id}", request, async () =>
        {
            var pilot = await PilotBook.SetSharingAsync(db, id, request.Shared, cancellationToken);
            broker.Poke();
            return TypedResults.Ok(PilotView.From(pilot, time.GetUtcNow().UtcDateTime));
        });
    }

    /// <summary>GET /api/pilots/{id}/export</summary>
    public static async Task<IResult> ExportAsync(int id, HttpContext context, TenantView view, PilotBundle bundle, MetadataDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var pilot = await view.PilotAsync(caller, id, new Right("pilot", "export"), cancellationToken);
        if (pilot is null) return NotFound(id);
        var now = time.GetUtcNow().UtcDateTime;
        await Fieldlab.Access.Audit.AuditLog.WriteAsync(db, new AuditEntry
        {
            Time = now, Actor = caller.UserName, ActorRole = caller.Role.ToString(), Action = "pilot.export", Target = $"pilot:{id}", Outcome = "ok",
        }, cancellationToken);
        return TypedResults.Stream(async stream =>
        {
            // ZipArchive needs a seekable stream or synchronous writes; buffer to a temporary file, then copy.
            var temp = Path.GetTempFileName();
            try
            {
                await using (var file = File.Create(temp)) await bundle.WriteAsync(file, pilot, now, cancellationToken);
                await using var read = File.OpenRead(temp);
                await read.CopyToAsync(stream, cancellationToken);
            }
            finally
            {
                File.Delete(temp);
            }
        }, "application/zip", $"pilot-{pilot.Id}-{pilot.OrganisationId}.zip");
    }

    private static IResult NotFound(int id) => TypedResults.Problem($"No pilot {id}.", statusCode: 404, title: "Unknown pilot");

    private static DateTime? ParseTime(string? text, DateTime now, string field, Dictionary<string, string[]> problems)
    {
        if (text is null or "now") return now;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return t.UtcDateTime;
        problems[field] = ["now or an RFC 3339 time"];
        return null;
    }
}

/// <summary>Body of <c>POST /api/pilots</c>.</summary>
public sealed record NewPilotRequest(string? Organisation, string? Name, IReadOnlyList<string>? Rigs, string? Start, string? End, bool? SharedWithInstructors);

/// <summary>Body of <c>POST /api/pilots/{id}/end</c>.</summary>
public sealed record EndPilotRequest(string? At);

/// <summary>Body of <c>PUT /api/pilots/{id}/sharing</c>.</summary>
public sealed record SharingRequest(bool Shared);
