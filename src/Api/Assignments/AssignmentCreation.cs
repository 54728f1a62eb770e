using System.Globalization;
using System.Security.Cryptography;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Api.Access;
using Fieldlab.Api.Tenancy;
using Fieldlab.Datasets.Assignments;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Assignments;

/// <summary><c>POST /api/assignments</c>: checks the class (of the caller's site), the dataset (of the same site, a
/// school's, its labels hidden: published labels would hand students the answers), the task and the deadline, builds
/// the answer key once to prove that both leaderboard parts have keys, and stores the assignment; audited as
/// <c>assignment.create</c>, refusals too.</summary>
public static class AssignmentCreation
{
    /// <summary>POST /api/assignments</summary>
    public static async Task<IResult> CreateAsync(AssignmentRequest request, HttpContext context, MetadataDb db, AnswerKeys keys, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var site = request.Site ?? caller.SiteId;
        return await TenancyResults.RunAsync(context, caller, "assignment.create", site, null, request.Class, request, async () =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            var (kind, deadline) = Validate(request, now);
            if (site is null) throw new TenancyException("site", "an administrator names the class's site");
            // Another site's class is as unknown to an instructor as one that does not exist.
            var schoolClass = caller.Role == Role.Administrator || site == caller.SiteId
                ? await db.Classes.AsNoTracking().FirstOrDefaultAsync(c => c.SiteId == site && c.Name == request.Class, cancellationToken) : null;
            if (schoolClass is null) throw new TenancyException("class", $"no class '{request.Class}' at {site}", TenancyProblem.NotFound);
            var dataset = await db.Datasets.AsNoTracking()
                .Where(d => d.Id == request.Dataset && d.SiteId == site && d.OrganisationId == null && (request.Version == null || d.Version == request.Version))
                .OrderByDescending(d => d.Version).FirstOrDefaultAsync(cancellationToken)
                ?? throw new TenancyException("dataset", $"no dataset '{request.Dataset}'{(request.Version is { } v ? $" version {v}" : "")} at {site}", TenancyProblem.NotFound);
            if (!dataset.LabelsHidden)
                throw new TenancyException("dataset", $"{dataset.Id} v{dataset.Version} publishes its labels: students could read the answers. Freeze it again with hide_labels: true", TenancyProblem.Conflict);

            var assignment = new Assignment
            {
                ClassId = schoolClass.Id, SiteId = site, Title = request.Title!.Trim(), DatasetId = dataset.Id, DatasetVersion = dataset.Version,
                Task = TaskKinds.Name(kind), WindowSeconds = request.WindowSeconds!.Value, FailureLabel = kind == TaskKind.Rul ? request.FailureLabel : null,
                Deadline = deadline, SubmissionsPerDay = request.SubmissionsPerDay ?? 5, PublicShare = request.PublicShare ?? 0.5,
                SplitSeed = RandomNumberGenerator.GetInt32(int.MaxValue), CreatedBy = caller.UserName, CreatedAt = now,
            };
            await CheckKeyAsync(keys, assignment, dataset, cancellationToken);
            db.Assignments.Add(assignment);
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Created($"/api/assignments/{assignment.Id}", AssignmentReading.Summary(assignment, schoolClass.Name, now));
        });
    }

    private static (TaskKind Kind, DateTime Deadline) Validate(AssignmentRequest request, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(request.Class)) throw new TenancyException("class", "required");
        if (string.IsNullOrWhiteSpace(request.Title) || request.Title.Trim().Length > 200) throw new TenancyException("title", "1 to 200 characters");
        if (string.IsNullOrWhiteSpace(request.Dataset)) throw new TenancyException("dataset", "required");
        var kind = TaskKinds.Parse(request.Task) ?? throw new TenancyException("task", "detection, classification or rul");
        if (request.WindowSeconds is not { } window || !double.IsFinite(window) || window < 0.001 || window > 86_400)
            throw new TenancyException("window_seconds", "a number of seconds from 0.001 to 86400");
        if (kind == TaskKind.Rul && string.IsNullOrWhiteSpace(request.FailureLabel)) throw new TenancyException("failure_label", "a rul task names the label whose start is a failure");
        if (!DateTimeOffset.TryParse(request.Deadline, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var deadline))
            throw new TenancyException("deadline", "an RFC 3339 time");
        if (deadline.UtcDateTime <= now) throw new TenancyException("deadline", "must lie in the future");
        if (request.SubmissionsPerDay is < 1 or > 100) throw new TenancyException("submissions_per_day", "1 to 100");
        if (request.PublicShare is { } share && !(share is >= 0.05 and <= 0.95)) throw new TenancyException("public_share", "0.05 to 0.95");
        return (kind, deadline.UtcDateTime);
    }

    // The key is built now so that a task that scores nothing is refused here, not at the first submission.
    private static async Task CheckKeyAsync(AnswerKeys keys, Assignment assignment, DatasetRecord dataset, CancellationToken ct)
    {
        var task = AnswerKeys.SpecOf(assignment, dataset);
        if (task.Problem() is { } problem) throw new TenancyException("window_seconds", problem);
        AnswerKey key;
        try
        {
            key = await keys.BuildAsync(task, dataset, ct);
        }
        catch (InvalidOperationException e)
        {
            throw new TenancyException("window_seconds", e.Message);
        }
        if (key.Truth.Count == 0)
            throw new TenancyException(task.Kind == TaskKind.Rul ? "failure_label" : "dataset",
                task.Kind == TaskKind.Rul ? $"no label '{task.FailureLabel}' starts inside the dataset: there is no life to predict" : "the dataset has no samples to score");
        var split = new PublicSplit(task, assignment.SplitSeed, assignment.PublicShare);
        int publicKeys = key.Truth.Keys.Count(split.IsPublic);
        if (publicKeys == 0 || publicKeys == key.Truth.Count)
            throw new TenancyException("public_share", $"with {key.Truth.Count} keys one leaderboard part would be empty: use a shorter window or a share nearer 0.5");
    }
}
