namespace ScimFunctions.Benchmarks.Http;

/// <summary>
/// Process start to the first answered SCIM request of the local host published twice, plain and ReadyToRun:
/// the proxy for a Functions cold start that this machine can measure.
/// </summary>
public sealed record ColdStartResult(string Note, string FirstRequest)
{
    public List<ColdStartVariant> Variants { get; } = [];

    /// <summary>Set when the section could not run at all (no project to publish, a stopped run).</summary>
    public string? Problem { get; set; }

    public bool Complete(int startsPerVariant) =>
        Problem is null && Variants.Count > 0 && Variants.All(v => v.Problem is null && v.Samples.Count == startsPerVariant);

    /// <summary>ReadyToRun's median first answer over the plain one's (below 1: ReadyToRun starts faster).</summary>
    public double? ReadyToRunRatio => Variants is [{ } plain, { } readyToRun] && plain.FirstAnswerMedianMs > 0
        ? readyToRun.FirstAnswerMedianMs / plain.FirstAnswerMedianMs
        : null;
}
