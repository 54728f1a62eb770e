using Fieldlab.Access.Rights;

namespace Fieldlab.Access.Tests.Rights;

/// <summary><see cref="RigPolicy.Evaluate"/> with the rights table as written in docs/access.md: scenarios of each role,
/// and a model check of the windows every role gets on random rigs.</summary>
public sealed class RigPolicyTests
{
    private const string Site = "techport";
    private static readonly DateTime T0 = new(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly RigPolicy Policy = new(RightsTable.Current);

    private static DateTime H(int hours) => T0.AddHours(hours);

    private static readonly Caller Student = new("u-student", "student", Role.Student, Site, null, [1]);
    private static readonly Caller Instructor = new("u-docent", "docent", Role.Instructor, Site, null, []);
    private static readonly Caller Anna = new("u-anna", "anna", Role.CompanyMember, null, "pilot-a", []);
    private static readonly Caller Bart = new("u-bart", "bart", Role.CompanyMember, null, "pilot-b", []);
    private static readonly Caller Admin = new("u-admin", "admin", Role.Administrator, null, null, []);
    private static readonly Caller ElsewhereStudent = new("u-s2", "s2", Role.Student, "elsewhere", null, [2]);
    private static readonly Caller ElsewhereInstructor = new("u-i2", "i2", Role.Instructor, "elsewhere", null, []);

    private static RigFacts Rig(DateTime? truthReleasedUntil = null, params PilotFacts[] pilots) => new(Site, "pump-1", truthReleasedUntil, pilots);

    private static PilotFacts Pilot(int id, string organisation, DateTime? from, DateTime? to, bool shared = false) =>
        new(id, organisation, new TimeWindow(from, to), shared);

    [Fact]
    public void Evaluate_StudentOnTeachingRig_SeesItsDataAtAllTimes()
    {
        var v = Policy.Evaluate(Student, Rig(), H(5));
        Assert.True(v.Status);
        Assert.True(v.Data.IsEverything, $"data: {v.Data}");
        Assert.True(v.Allows(RigRights.Data));
    }

    [Fact]
    public void Evaluate_StudentOnRigWithPilot_SeesEverythingButThePilotWindow()
    {
        var v = Policy.Evaluate(Student, Rig(null, Pilot(1, "pilot-a", H(10), H(20))), H(5));
        Assert.True(v.Status);
        Assert.True(v.Data.Contains(H(10).AddTicks(-1)));
        Assert.False(v.Data.Contains(H(10)));
        Assert.False(v.Data.Contains(H(15)));
        Assert.False(v.Data.Contains(H(20).AddTicks(-1)));
        Assert.True(v.Data.Contains(H(20)));
        Assert.Equal([new TimeWindow(null, H(10)), new TimeWindow(H(20), null)], v.Data.Windows);
    }

    [Fact]
    public void Evaluate_AlertAndMaintain_HoldAtTheTimesTheirWindowsContain()
    {
        var rig = Rig(null, Pilot(1, "pilot-a", H(10), H(20)));
        var student = Policy.Evaluate(Student, rig, H(15));
        Assert.True(student.Allows(RigRights.Alert));
        Assert.True(student.Allows(RigRights.Alert, H(5)));
        Assert.False(student.Allows(RigRights.Alert, H(15)), "a student acts on no alert raised inside a pilot");
        Assert.False(student.Allows(RigRights.Maintain), "students record no maintenance");
        var anna = Policy.Evaluate(Anna, rig, H(15));
        Assert.True(anna.Allows(RigRights.Maintain, H(15)));
        Assert.False(anna.Allows(RigRights.Maintain, H(25)), "a company records maintenance only inside its pilot");
        Assert.False(anna.Allows(RigRights.Alert, H(5)));
        var instructor = Policy.Evaluate(Instructor, rig, H(15));
        Assert.True(instructor.Allows(RigRights.Maintain, H(15)), "the site's instructors maintain the rig at any time");
        Assert.False(Policy.Evaluate(ElsewhereInstructor, rig, H(15)).Allows(RigRights.Maintain));
        // A right without windows answers as it does without a time.
        Assert.Equal(instructor.Allows(RigRights.Rebaseline), instructor.Allows(RigRights.Rebaseline, H(1)));
    }

    [Fact]
    public void Evaluate_StudentTruthNotReleased_SeesNoTruth()
    {
        var v = Policy.Evaluate(Student, Rig(), H(5));
        Assert.True(v.Truth.IsEmpty, $"truth: {v.Truth}");
        Assert.False(v.Allows(RigRights.Truth));
    }

    [Fact]
    public void Evaluate_StudentTruthReleased_SeesExactlyTheTeachingTruthBeforeTheRelease()
    {
        var rig = Rig(H(30), Pilot(1, "pilot-a", H(10), H(20)));
        var v = Policy.Evaluate(Student, rig, H(40));
        Assert.Equal([new TimeWindow(null, H(10)), new TimeWindow(H(20), H(30))], v.Truth.Windows);
        Assert.True(v.Truth.Contains(H(30).AddTicks(-1)));
        Assert.False(v.Truth.Contains(H(30)));
        Assert.False(v.Truth.Contains(H(15)), "a pilot's truth is never released to students");
        Assert.True(v.Allows(RigRights.Truth));
    }

    [Fact]
    public void Evaluate_StudentTruthReleasedForever_SeesAllTeachingTruth()
    {
        var v = Policy.Evaluate(Student, Rig(DateTime.MaxValue, Pilot(1, "pilot-a", H(10), H(20))), H(40));
        Assert.Equal([new TimeWindow(null, H(10)), new TimeWindow(H(20), null)], v.Truth.Windows);
    }

    [Fact]
    public void Evaluate_Instructor_SeesSharedPilotWindowsNotUnsharedOnes()
    {
        var rig = Rig(null, Pilot(1, "pilot-a", H(10), H(20), shared: true), Pilot(2, "pilot-b", H(30), H(40), shared: false));
        var v = Policy.Evaluate(Instructor, rig, H(50));
        Assert.True(v.Status);
        Assert.True(v.Data.Contains(H(5)));
        Assert.True(v.Data.Contains(H(15)), "shared pilot window");
        Assert.True(v.Data.Contains(H(25)));
        Assert.False(v.Data.Contains(H(35)), "unshared pilot window");
        Assert.True(v.Data.Contains(H(45)));
        Assert.Equal(v.Data.Windows, v.Truth.Windows);
        Assert.Equal([new TimeWindow(null, H(30)), new TimeWindow(H(40), null)], v.Data.Windows);
    }

    [Fact]
    public void Evaluate_CompanyMember_SeesOnlyItsOwnPilotsWindows()
    {
        var rig = Rig(null, Pilot(1, "pilot-a", H(10), H(20)), Pilot(2, "pilot-b", H(30), H(40)), Pilot(3, "pilot-a", H(50), null));
        var v = Policy.Evaluate(Anna, rig, H(15));
        Assert.True(v.Status);
        Assert.Equal([new TimeWindow(H(10), H(20)), new TimeWindow(H(50), null)], v.Data.Windows);
        Assert.Equal(v.Data.Windows, v.Truth.Windows);
        Assert.False(v.Data.Contains(H(35)), "another company's window");
        Assert.False(v.Data.Contains(H(5)), "teaching data");
        Assert.False(v.Command);
    }

    [Fact]
    public void Evaluate_CompanyMemberOnAnotherCompanysRig_SeesNoRig()
    {
        var rig = Rig(DateTime.MaxValue, Pilot(1, "pilot-a", H(10), null, shared: true));
        Assert.Equal(RigVisibility.None, Policy.Evaluate(Bart, rig, H(15)));
        Assert.Equal(RigVisibility.None, Policy.Evaluate(Bart, Rig(), H(15)));
        Assert.False(Policy.Evaluate(Bart, rig, H(15)).Allows(RigRights.Status));
    }

    [Fact]
    public void Evaluate_CompanyMemberEndedPilot_DataStopsAtItsEnd()
    {
        var rig = Rig(null, Pilot(1, "pilot-a", H(10), H(20)));
        var v = Policy.Evaluate(Anna, rig, H(100));
        Assert.True(v.Status, "the rig of an ended pilot stays visible");
        Assert.True(v.Data.Contains(H(20).AddTicks(-1)));
        Assert.False(v.Data.Contains(H(20)));
        Assert.False(v.Data.Contains(H(100)));
        Assert.Equal([new TimeWindow(H(10), H(20))], v.Data.Windows);
    }

    [Fact]
    public void Evaluate_RigAtAnotherSite_InvisibleToStudentsAndInstructors()
    {
        var rig = Rig(DateTime.MaxValue, Pilot(1, "pilot-a", H(10), H(20), shared: true));
        Assert.Equal(RigVisibility.None, Policy.Evaluate(ElsewhereStudent, rig, H(5)));
        Assert.Equal(RigVisibility.None, Policy.Evaluate(ElsewhereInstructor, rig, H(5)));
        Assert.Equal(RigVisibility.None, Policy.Evaluate(ElsewhereInstructor, Rig(), H(5)));
    }

    [Fact]
    public void Evaluate_Anonymous_SeesNothing()
    {
        Assert.Equal(RigVisibility.None, Policy.Evaluate(null, Rig(DateTime.MaxValue), H(5)));
    }

    [Fact]
    public void Evaluate_Command_OnlyInstructorsAtTheSiteWhileNoPilotWindowRuns()
    {
        var rig = Rig(null, Pilot(1, "pilot-a", H(10), H(20), shared: true), Pilot(2, "pilot-b", H(30), null));
        Assert.True(Policy.Evaluate(Instructor, rig, H(5)).Command, "idle before the first pilot");
        Assert.False(Policy.Evaluate(Instructor, rig, H(10)).Command, "inside a (shared) pilot window");
        Assert.True(Policy.Evaluate(Instructor, rig, H(20)).Command, "idle after the pilot's end");
        Assert.False(Policy.Evaluate(Instructor, rig, H(35)).Command, "inside an open-ended pilot window");
        Assert.Equal(Policy.Evaluate(Instructor, rig, H(5)).Command, Policy.Evaluate(Instructor, rig, H(5)).Rebaseline);
        Assert.False(Policy.Evaluate(Instructor, rig, H(35)).Rebaseline);
        Assert.True(Policy.Evaluate(Instructor, rig, H(35)).ReleaseTruth, "release-truth is 'site', not 'site-idle'");

        foreach (var caller in new[] { Student, Anna, Bart, Admin, ElsewhereInstructor })
        {
            foreach (int hour in new[] { 5, 15, 25, 35 })
                Assert.False(Policy.Evaluate(caller, rig, H(hour)).Command, $"{caller.UserName} may not command at hour {hour}");
        }
        Assert.False(Policy.Evaluate(null, rig, H(5)).Command);
    }

    [Fact]
    public void Evaluate_Administrator_SeesEverything()
    {
        var rig = Rig(null, Pilot(1, "pilot-a", H(10), H(20)), Pilot(2, "pilot-b", H(30), null));
        var v = Policy.Evaluate(Admin, rig, H(35));
        Assert.True(v.Status);
        Assert.True(v.Data.IsEverything, $"data: {v.Data}");
        Assert.True(v.Truth.IsEverything, $"truth: {v.Truth}");
        Assert.True(v.Rebaseline);
        Assert.True(v.ReleaseTruth);
        Assert.False(v.Command, "the table gives administrators no commands (they go through instructors)");
    }

    [Fact]
    public void Evaluate_RandomRigs_EveryRoleGetsExactlyItsWindows()
    {
        string[] organisations = ["pilot-a", "pilot-b", "pilot-c"];
        string[] sites = [Site, "elsewhere"];
        for (int seed = 0; seed < 1500; seed++)
        {
            var random = new Random(seed);
            var pilots = new List<PilotFacts>();
            for (int i = random.Next(0, 4); i > 0; i--)
            {
                int from = random.Next(0, 20);
                int? to = random.Next(4) == 0 ? null : from + random.Next(1, 10);
                pilots.Add(Pilot(i, organisations[random.Next(organisations.Length)], H(from), to is { } t ? H(t) : null, shared: random.Next(2) == 0));
            }
            DateTime? released = random.Next(3) switch { 0 => null, 1 => H(random.Next(0, 30)), _ => DateTime.MaxValue };
            var rig = new RigFacts(sites[random.Next(sites.Length)], "rig-1", released, pilots);
            var now = H(random.Next(0, 30));
            var organisation = organisations[random.Next(organisations.Length)];
            var site = sites[random.Next(sites.Length)];
            var student = Student with { SiteId = site };
            var instructor = Instructor with { SiteId = site };
            var member = Anna with { OrganisationId = organisation };
            bool atSite = site == rig.SiteId;
            string where = $"seed {seed}: rig at {rig.SiteId}, pilots [{string.Join(", ", pilots)}], released {released:O}, callers at {site}/{organisation}, now {now:O}";

            bool InPilot(DateTime t, Func<PilotFacts, bool> which) => pilots.Where(which).Any(p => p.Window.Contains(t));
            var vs = Policy.Evaluate(student, rig, now);
            var vi = Policy.Evaluate(instructor, rig, now);
            var vm = Policy.Evaluate(member, rig, now);
            var va = Policy.Evaluate(Admin, rig, now);
            Assert.True(vs.Status == atSite, $"{where}: student status");
            Assert.True(vi.Status == atSite, $"{where}: instructor status");
            Assert.True(vm.Status == pilots.Any(p => p.OrganisationId == organisation), $"{where}: member status");
            Assert.True(vi.Command == (atSite && !InPilot(now, _ => true)), $"{where}: instructor command");
            Assert.False(vs.Command || vm.Command || va.Command, $"{where}: only instructors command");

            for (int half = -4; half < 80; half++)
            {
                var t = T0.AddMinutes(30 * half);
                bool teaching = !InPilot(t, _ => true);
                bool studentData = atSite && teaching;
                bool studentTruth = studentData && released is { } r && t < r;
                bool instructorData = atSite && (teaching || InPilot(t, p => p.SharedWithInstructors));
                bool memberData = InPilot(t, p => p.OrganisationId == organisation);
                Assert.True(vs.Data.Contains(t) == studentData, $"{where}: student data at {t:O}: {vs.Data}");
                Assert.True(vs.Truth.Contains(t) == studentTruth, $"{where}: student truth at {t:O}: {vs.Truth}");
                Assert.True(vi.Data.Contains(t) == instructorData, $"{where}: instructor data at {t:O}: {vi.Data}");
                Assert.True(vi.Truth.Contains(t) == instructorData, $"{where}: instructor truth at {t:O}: {vi.Truth}");
                Assert.True(vm.Data.Contains(t) == memberData, $"{where}: member data at {t:O}: {vm.Data}");
                Assert.True(vm.Truth.Contains(t) == memberData, $"{where}: member truth at {t:O}: {vm.Truth}");
                Assert.True(va.Data.Contains(t) && va.Truth.Contains(t), $"{where}: administrator at {t:O}");
            }
        }
    }
}
