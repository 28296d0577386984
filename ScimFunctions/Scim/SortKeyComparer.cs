namespace ScimFunctions.Scim;

/// <summary>Missing values are greater than any value, so they come last ascending and first descending.</summary>
public sealed class SortKeyComparer(bool caseExact) : IComparer<IComparable?>
{
    public int Compare(IComparable? x, IComparable? y)
    {
        if (x is null) return y is null ? 0 : 1;
        if (y is null) return -1;
        if (x is string left && y is string right)
        {
            return string.Compare(left, right, caseExact ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
        }
        if (x.GetType() != y.GetType())
        {
            return string.Compare(x.GetType().Name, y.GetType().Name, StringComparison.Ordinal);
        }
        return x.CompareTo(y);
    }
}
