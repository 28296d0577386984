namespace ScimFunctions.Tests.Functions.Errors.FaultMatrix;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultMatrixEveryKindCollection
{
    public const string Name = "Fault matrix, every kind at every call";
}
