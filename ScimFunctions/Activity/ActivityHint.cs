namespace ScimFunctions.Activity;

/// <summary>What went wrong, for the admin: a stable <see cref="Code"/> (to count and filter on) and a short
/// plain-language <see cref="Text"/> saying what to do. Neither holds a client value.</summary>
public sealed record ActivityHint(string Code, string Text);
