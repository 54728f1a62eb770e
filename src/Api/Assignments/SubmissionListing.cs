using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Api.Access;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Assignments;

/// <summary><c>GET /api/assignments/{id}/submissions</c>: newest first, with every metric; a student sees its own
/// and their private scores only after the deadline, instructors and administrators every student's with both parts.</summary>
public static class SubmissionListing
{
    /// <summary>GET /api/assignments/{id}/submissions</summary>
    public static async Task<IResult> ListAsync(int id, HttpContext context, TenantView view, MetadataDb db, RightsTable table, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        if (await AssignmentsApi.FindAsync(view, db, caller, id, AssignmentsApi.Read, cancellationToken) is not { } found) return AssignmentsApi.NotFound(id);
        var assignment = found.Assignment;
        bool seesAll = AssignmentsApi.SeesAll(table, caller);
        bool withPrivate = seesAll || AssignmentsApi.Closed(assignment, time.GetUtcNow().UtcDateTime);
        var query = db.Submissions.AsNoTracking().Where(s => s.AssignmentId == id);
        if (!seesAll) query = query.Where(s => s.UserId == caller.UserId);
        var submissions = await query.OrderByDescending(s => s.SubmittedAt).ThenByDescending(s => s.Id).Take(1000).ToListAsync(cancellationToken);
        var userIds = submissions.Select(s => s.UserId).ToHashSet();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        return TypedResults.Ok(submissions.Select(s => new
        {
            id = s.Id, student = Participants.NameOf(assignment, s.UserId, users, caller.UserId, seesAll), submitted_at = DateTime.SpecifyKind(s.SubmittedAt, DateTimeKind.Utc),
            rows = s.Rows, sha256 = s.Sha256, public_score = SubmissionIntake.Finite(s.PublicScore),
            private_score = withPrivate ? SubmissionIntake.Finite(s.PrivateScore) : null, metrics = SubmissionMetrics.Shown(s.Metrics, withPrivate),
        }));
    }
}
