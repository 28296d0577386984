namespace ScimFunctions.Tests.EndToEnd.ModelBased;

/// <summary>A user as the model believes it is, after the acknowledged writes so far.</summary>
public sealed record ModelUser(string Id, string UserName, string DisplayName, bool Active);
