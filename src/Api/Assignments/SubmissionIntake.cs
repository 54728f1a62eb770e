using System.Globalization;
using Fieldlab.Access.Audit;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Api.Access;
using Fieldlab.Api.Datasets;
using Fieldlab.Datasets.Assignments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Assignments;

/// <summary><c>POST /api/assignments/{id}/submissions</c>: a student's prediction file (text/csv) before the deadline
/// (else 409), within the daily limit (else 429), at most <see cref="AssignmentOptions.MaxUploadBytes"/> (else 413, cut
/// off while reading); read whole against the answer key (else 400 with an error per bad line), scored, and only then
/// stored: the file renamed into place and its row committed together, so nothing is stored half and a refused file
/// changes no leaderboard. Audited as <c>assignment.submit</c>, refusals of bad files too.</summary>
public static class SubmissionIntake
{
    // One submission is scored at a time: it bounds memory (a key may hold two million entries) and makes the daily
    // count exact within this API process.
    private static readonly SemaphoreSlim Scoring = new(1, 1);

    /// <summary>POST /api/assignments/{id}/submissions</summary>
    public static async Task<IResult> SubmitAsync(int id, HttpContext context, TenantView view, MetadataDb db, AnswerKeys keys,
        IOptions<AssignmentOptions> options, IOptions<DatasetOptions> datasets, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        if (await AssignmentsApi.FindAsync(view, db, caller, id, AssignmentsApi.Submit, cancellationToken) is not { } found) return AssignmentsApi.NotFound(id);
        var (assignment, dataset) = found;
        long max = options.Value.MaxUploadBytes;
        if (AssignmentsApi.Closed(assignment, time.GetUtcNow().UtcDateTime))
            return TypedResults.Problem($"The deadline ({assignment.Deadline:O}) has passed: no more submissions.", statusCode: 409, title: "Assignment closed");
        if (context.Request.ContentType is not { } type || !type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
            return TypedResults.Problem("Send the predictions as 'Content-Type: text/csv'.", statusCode: 415, title: "Not a CSV file");
        if (context.Request.ContentLength > max) return TooLarge(max);
        if (await LimitReachedAsync(context, db, assignment, caller, time, cancellationToken) is { } limited) return limited;

        var folder = SubmissionUpload.FolderOf(datasets.Value.Directory, assignment.Id);
        if (await SubmissionUpload.ReceiveAsync(context.Request.Body, folder, max, cancellationToken) is not { } upload) return TooLarge(max);
        await Scoring.WaitAsync(cancellationToken);
        try
        {
            if (await LimitReachedAsync(context, db, assignment, caller, time, cancellationToken) is { } limitedNow) return limitedNow;
            var key = await keys.GetAsync(assignment, dataset, cancellationToken);
            PredictionFile file;
            using (var text = new StreamReader(upload.Path, new System.Text.UTF8Encoding(false, throwOnInvalidBytes: false))) file = await PredictionReader.ReadAsync(text, key, cancellationToken);
            if (!file.IsValid)
            {
                await AuditAsync(db, caller, assignment, $"{file.ErrorCount} errors: {string.Join(" | ", file.Errors.Take(3))}", "refused", time, cancellationToken);
                return TypedResults.Problem($"{file.ErrorCount} error(s) in the file; nothing was stored.", statusCode: 400, title: "Invalid predictions",
                    extensions: new Dictionary<string, object?> { ["errors"] = file.Errors, ["error_count"] = file.ErrorCount, ["format"] = SubmissionFormat.Of(assignment, dataset) });
            }
            var score = SubmissionScorer.Score(key, new PublicSplit(key.Task, assignment.SplitSeed, assignment.PublicShare), file.Predictions!);
            var submission = new Submission
            {
                AssignmentId = assignment.Id, UserId = caller.UserId, SubmittedAt = time.GetUtcNow().UtcDateTime, Rows = file.Rows, Sha256 = upload.Sha256,
                PublicScore = score.Public.Metric, PrivateScore = score.Private.Metric, Metrics = SubmissionMetrics.ToJson(score),
            };
            await StoreAsync(db, submission, upload.Path, folder, cancellationToken);
            await AuditAsync(db, caller, assignment, $"submission {submission.Id}, {file.Rows} rows, sha256 {upload.Sha256}", "ok", time, cancellationToken);
            var (metric, higher) = TaskKinds.Leaderboard(key.Task.Kind);
            return TypedResults.Created($"/api/assignments/{assignment.Id}/submissions", new
            {
                id = submission.Id, submitted_at = DateTime.SpecifyKind(submission.SubmittedAt, DateTimeKind.Utc), rows = submission.Rows, sha256 = submission.Sha256, bytes = upload.Bytes,
                metric, higher_is_better = higher, public_score = Finite(submission.PublicScore), metrics = SubmissionMetrics.Shown(submission.Metrics, withPrivate: false),
            });
        }
        finally
        {
            Scoring.Release();
            File.Delete(upload.Path); // gone already when stored; a refused or failed file leaves nothing
        }
    }

    // The row and the file together: the row is committed only once the file has its name, and the file is removed
    // again if the commit fails.
    private static async Task StoreAsync(MetadataDb db, Submission submission, string temp, string folder, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Submissions.Add(submission);
        await db.SaveChangesAsync(ct);
        var final = Path.Combine(folder, Fieldlab.Datasets.Assignments.SubmissionFiles.FileNameOf(submission.Id));
        File.Move(temp, final, overwrite: false);
        try
        {
            await transaction.CommitAsync(CancellationToken.None);
        }
        catch
        {
            File.Delete(final);
            throw;
        }
    }

    private static async Task<IResult?> LimitReachedAsync(HttpContext context, MetadataDb db, Assignment assignment, Caller caller, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var day = now.Date;
        int today = await db.Submissions.CountAsync(s => s.AssignmentId == assignment.Id && s.UserId == caller.UserId && s.SubmittedAt >= day, ct);
        if (today < assignment.SubmissionsPerDay) return null;
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling((day.AddDays(1) - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem($"{assignment.SubmissionsPerDay} submissions a day (UTC) are allowed, and today's are used; try again after midnight UTC.",
            statusCode: 429, title: "Daily submissions used");
    }

    private static IResult TooLarge(long max) =>
        TypedResults.Problem($"A prediction file may have at most {max} bytes; nothing was stored.", statusCode: 413, title: "File too large");

    private static Task AuditAsync(MetadataDb db, Caller caller, Assignment assignment, string detail, string outcome, TimeProvider time, CancellationToken ct) =>
        AuditLog.WriteAsync(db, new AuditEntry
        {
            Time = time.GetUtcNow().UtcDateTime, Actor = caller.UserName, ActorRole = caller.Role.ToString(), Action = "assignment.submit",
            SiteId = assignment.SiteId, Target = $"assignment:{assignment.Id}", Detail = detail, Outcome = outcome,
        }, ct);

    /// <summary>A score as JSON shows it (null when it is not a number).</summary>
    public static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
