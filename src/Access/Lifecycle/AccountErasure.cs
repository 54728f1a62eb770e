using System.Security.Cryptography;
using System.Text;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Lifecycle;

/// <summary>The right to erasure (AVG/GDPR art. 17) for an account: the account, its tokens, class memberships,
/// notification settings and broker principal are deleted; the audit log, alert cases, comments and the maintenance log keep what happened but name the person only by a pseudonym
/// (<c>erased:</c> + 12 hex digits of a hash that cannot be reversed without the name); the erasure register records
/// the erasure under the same pseudonym.</summary>
public static class AccountErasure
{
    /// <summary>Erases <paramref name="userName"/>; returns the pseudonym that replaces it. With
    /// <paramref name="datasetsDirectory"/> (the API's <c>Datasets:Directory</c>) the files of its submissions go too.</summary>
    public static async Task<string> EraseAsync(MetadataDb db, string userName, string requester, DateTime now, CancellationToken cancellationToken,
        string? datasetsDirectory = null)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == userName, cancellationToken).ConfigureAwait(false)
            ?? throw new TenancyException("user", $"no user '{userName}'", TenancyProblem.NotFound);
        if (user.Role == Role.Administrator && await db.Users.CountAsync(u => u.Role == Role.Administrator, cancellationToken).ConfigureAwait(false) == 1)
            throw new TenancyException("user", "the last administrator cannot be erased", TenancyProblem.Conflict);
        var pseudonym = Pseudonym(userName, user.Id);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await db.Audit.Where(a => a.Actor == userName).ExecuteUpdateAsync(s => s.SetProperty(a => a.Actor, pseudonym), cancellationToken).ConfigureAwait(false);
        await db.Audit.Where(a => a.Target == userName).ExecuteUpdateAsync(s => s.SetProperty(a => a.Target, pseudonym), cancellationToken).ConfigureAwait(false);
        // Details may quote the name (e.g. a class invitation accepted): those entries lose their detail.
        await db.Audit.Where(a => a.Detail != null && a.Detail.Contains("\"" + userName + "\"")).ExecuteUpdateAsync(s => s.SetProperty(a => a.Detail, "(erased)"), cancellationToken).ConfigureAwait(false);
        // Alert cases, comments and the maintenance log name people the same way as the audit log does.
        await db.AlertCases.Where(a => a.AcknowledgedBy == userName).ExecuteUpdateAsync(s => s.SetProperty(a => a.AcknowledgedBy, pseudonym), cancellationToken).ConfigureAwait(false);
        await db.AlertCases.Where(a => a.ClosedBy == userName).ExecuteUpdateAsync(s => s.SetProperty(a => a.ClosedBy, pseudonym), cancellationToken).ConfigureAwait(false);
        await db.AlertComments.Where(c => c.Author == userName).ExecuteUpdateAsync(s => s.SetProperty(c => c.Author, pseudonym), cancellationToken).ConfigureAwait(false);
        await db.MaintenanceActions.Where(m => m.PerformedBy == userName).ExecuteUpdateAsync(s => s.SetProperty(m => m.PerformedBy, pseudonym), cancellationToken).ConfigureAwait(false);
        // A frozen dataset's files never change (their hashes are published); its record names the freezer by pseudonym
        // from now on, and the manifest's frozen_by is the one place the name remains (docs/datasets.md says so).
        await db.Datasets.Where(d => d.FrozenBy == userName).ExecuteUpdateAsync(s => s.SetProperty(d => d.FrozenBy, pseudonym), cancellationToken).ConfigureAwait(false);
        // Submissions are a student's own work: they go, rows and files, and with them the student's place on every leaderboard.
        var submissions = await db.Submissions.Where(x => x.UserId == user.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        db.Submissions.RemoveRange(submissions);
        db.Users.Remove(user); // tokens, memberships, claims, logins and notification settings cascade; assignments are cleared
        db.Erasures.Add(new ErasureRecord { Time = now, Kind = "user", Requester = requester, Detail = $"account {pseudonym} erased" });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        // The files after the rows: a failed erasure must not leave rows whose files are gone.
        if (datasetsDirectory is not null)
            foreach (var path in submissions.Select(x => Fieldlab.Datasets.Assignments.SubmissionFiles.PathOf(datasetsDirectory, x.AssignmentId, x.Id)).Where(File.Exists))
                File.Delete(path);
        return pseudonym;
    }

    /// <summary>The pseudonym of an erased account.</summary>
    public static string Pseudonym(string userName, string userId) =>
        "erased:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId + "\n" + userName)))[..12];
}
