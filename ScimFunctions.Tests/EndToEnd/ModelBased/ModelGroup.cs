namespace ScimFunctions.Tests.EndToEnd.ModelBased;

/// <summary>A group as the model believes it is: its name and its members' ids.</summary>
public sealed record ModelGroup(string Id, string DisplayName, IReadOnlySet<string> Members);
