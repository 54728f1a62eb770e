using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Api.Access;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Assignments;

/// <summary>Assignments (docs/datasets.md, "Assignments"): an instructor sets a class a task on a dataset with hidden
/// labels; students fetch the dataset's public files, submit predictions and see the leaderboard. An assignment the
/// caller may not see — another class's, another site's, and every one for a company member — answers 404 exactly
/// like an unknown id (<see cref="TenantView.Assignments"/>).</summary>
public static class AssignmentsApi
{
    /// <summary>The rights of the area.</summary>
    public static readonly Right Manage = new("assignment", "manage"), Read = new("assignment", "read"), Submit = new("assignment", "submit");

    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapAssignmentsApi(this IEndpointRouteBuilder app)
    {
        var assignments = app.MapGroup("/api/assignments").WithTags("Assignments");
        assignments.MapPost("/", AssignmentCreation.CreateAsync).WithName("CreateAssignment").RequireRight(Manage)
            .WithSummary("Sets a class a task (detection, classification, rul) on a dataset with hidden labels, until a deadline.");
        assignments.MapGet("/", AssignmentReading.ListAsync).WithName("ListAssignments").RequireRight(Read).WithSummary("The assignments the caller may see, newest first.");
        assignments.MapGet("/{id:int}", AssignmentReading.GetAsync).WithName("Assignment").RequireRight(Read)
            .WithSummary("One assignment: the task, the submission format, the deadline and the dataset's public files.");
        assignments.MapGet("/{id:int}/files/{name}", AssignmentReading.FileAsync).WithName("AssignmentFile").RequireRight(Read)
            .WithSummary("A public file of the assignment's dataset, exactly as frozen (never its hidden labels).");
        assignments.MapPost("/{id:int}/submissions", SubmissionIntake.SubmitAsync).WithName("SubmitPredictions").RequireRight(Submit)
            .WithSummary("Submits a prediction file (text/csv): validated whole, scored, stored only when valid.");
        assignments.MapGet("/{id:int}/submissions", SubmissionListing.ListAsync).WithName("ListSubmissions").RequireRight(Read)
            .WithSummary("Submissions with their scores: a student its own (private scores after the deadline), instructors all.");
        assignments.MapGet("/{id:int}/leaderboard", Leaderboard.GetAsync).WithName("Leaderboard").RequireRight(Read)
            .WithSummary("Each student's best public score, ranked; after the deadline also the private ranks.");
        return app;
    }

    /// <summary>The assignment <paramref name="id"/> if the caller may act on it with <paramref name="right"/>, with its dataset version.</summary>
    public static async Task<(Assignment Assignment, DatasetRecord Dataset)?> FindAsync(TenantView view, MetadataDb db, Caller caller, int id, Right right, CancellationToken ct)
    {
        var assignment = await view.Assignments(caller, right).FirstOrDefaultAsync(a => a.Id == id, ct);
        if (assignment is null) return null;
        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == assignment.DatasetId && d.Version == assignment.DatasetVersion, ct);
        return dataset is null ? null : (assignment, dataset);
    }

    /// <summary>The 404 of an unknown (or invisible) assignment.</summary>
    public static IResult NotFound(int id) => TypedResults.Problem($"No assignment {id}.", statusCode: 404, title: "Unknown assignment");

    /// <summary>True once the deadline has passed.</summary>
    public static bool Closed(Assignment assignment, DateTime now) => now >= assignment.Deadline;

    /// <summary>True when the caller sees every student's submissions (instructors, administrators), not only its own.</summary>
    public static bool SeesAll(RightsTable table, Caller caller) => table.ScopeOf(Read, caller.Role) is Scope.Site or Scope.All;
}
