using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Api.Access;
using Fieldlab.Datasets.Assignments;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Assignments;

/// <summary><c>GET /api/assignments/{id}/leaderboard</c>: per student the submission with the best public score (ties:
/// the earlier one), ranked by the task's orientation; after the deadline the same submissions ranked by their private
/// score — the student's best public submission counts, so that nobody picks by the private part. Names: see
/// <see cref="Participants"/>.</summary>
public static class Leaderboard
{
    /// <summary>GET /api/assignments/{id}/leaderboard</summary>
    public static async Task<IResult> GetAsync(int id, HttpContext context, TenantView view, MetadataDb db, RightsTable table, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        if (await AssignmentsApi.FindAsync(view, db, caller, id, AssignmentsApi.Read, cancellationToken) is not { } found) return AssignmentsApi.NotFound(id);
        var assignment = found.Assignment;
        var (metric, higher) = TaskKinds.Leaderboard(TaskKinds.Parse(assignment.Task) ?? TaskKind.Detection);
        bool closed = AssignmentsApi.Closed(assignment, time.GetUtcNow().UtcDateTime);
        bool seesAll = AssignmentsApi.SeesAll(table, caller);
        var submissions = await db.Submissions.AsNoTracking().Where(s => s.AssignmentId == id).ToListAsync(cancellationToken);
        var best = Best(submissions, higher);
        var userIds = best.Select(b => b.Best.UserId).ToHashSet();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        string Name(string userId) => Participants.NameOf(assignment, userId, users, caller.UserId, seesAll);

        var publicBoard = best.Select((b, i) => new
        {
            rank = i + 1, student = Name(b.Best.UserId), you = b.Best.UserId == caller.UserId, score = SubmissionIntake.Finite(b.Best.PublicScore),
            submission = b.Best.Id, submitted_at = DateTime.SpecifyKind(b.Best.SubmittedAt, DateTimeKind.Utc), submissions = b.Count,
        });
        var privateBoard = closed || seesAll
            ? Ranked(best.Select(b => b.Best), s => s.PrivateScore, higher).Select((s, i) => new
            {
                rank = i + 1, student = Name(s.UserId), you = s.UserId == caller.UserId, score = SubmissionIntake.Finite(s.PrivateScore),
                public_score = SubmissionIntake.Finite(s.PublicScore), submission = s.Id,
            }).ToList()
            : null;
        return TypedResults.Ok(new
        {
            assignment = assignment.Id, task = assignment.Task, metric, higher_is_better = higher, deadline = DateTime.SpecifyKind(assignment.Deadline, DateTimeKind.Utc), closed,
            @public = publicBoard, @private = privateBoard,
        });
    }

    /// <summary>Each student's best public submission with how many they made, best first.</summary>
    public static IReadOnlyList<(Submission Best, int Count)> Best(IEnumerable<Submission> submissions, bool higherIsBetter) =>
        [.. submissions.GroupBy(s => s.UserId)
            .Select(g => (Best: Ranked(g, s => s.PublicScore, higherIsBetter).First(), Count: g.Count()))
            .OrderBy(b => b.Best, Comparer<Submission>.Create((a, c) => Compare(a.PublicScore, c.PublicScore, higherIsBetter, a, c)))];

    private static IEnumerable<Submission> Ranked(IEnumerable<Submission> submissions, Func<Submission, double> score, bool higherIsBetter) =>
        submissions.Order(Comparer<Submission>.Create((a, b) => Compare(score(a), score(b), higherIsBetter, a, b)));

    // Better score first; a score that is not a number last; ties: the earlier submission.
    private static int Compare(double x, double y, bool higherIsBetter, Submission a, Submission b)
    {
        bool nx = !double.IsFinite(x), ny = !double.IsFinite(y);
        if (nx != ny) return nx ? 1 : -1;
        int byScore = nx ? 0 : higherIsBetter ? y.CompareTo(x) : x.CompareTo(y);
        return byScore != 0 ? byScore : a.SubmittedAt != b.SubmittedAt ? a.SubmittedAt.CompareTo(b.SubmittedAt) : a.Id.CompareTo(b.Id);
    }
}
