namespace Fieldlab.Api.Assignments;

/// <summary>Body of <c>POST /api/assignments</c>: the class (of <paramref name="Site"/>, default the caller's), a
/// title, the dataset (newest version unless given; its labels must be hidden), the task with its window (and for RUL
/// the failure's label), the deadline, submissions per day and the public share of the leaderboard.</summary>
public sealed record AssignmentRequest(string? Class, string? Title, string? Dataset, string? Task, double? WindowSeconds, string? Deadline,
    string? Site = null, int? Version = null, string? FailureLabel = null, int? SubmissionsPerDay = null, double? PublicShare = null);
