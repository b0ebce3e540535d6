namespace HikiConsult.Grains.Protection;

/// <summary>
/// Encryption at rest of clinical text (message bodies, notes, clinical records): the one seam every store calls, of
/// whatever database. <see cref="Protect(ReadOnlySpan{byte})"/> returns printable text (a key id and the AES-GCM
/// ciphertext), so a store keeps it in the same TEXT column as before; the unprotect methods read rows written before
/// encryption (plain text, which never starts with <see cref="ProtectedPrefix"/>) unchanged.
/// </summary>
public interface IClinicalDataProtector
{
    /// <summary>Start of every protected value; JSON bodies and records start with "{" and so are never mistaken for one.</summary>
    const string ProtectedPrefix = "hc1.";

    /// <summary>Encrypts UTF-8 text under the newest key.</summary>
    string Protect(ReadOnlySpan<byte> utf8);

    /// <summary>Decrypts a stored value to its UTF-8 bytes; a value written before encryption is returned as it is.</summary>
    byte[] UnprotectToUtf8(string stored);

    string Protect(string text) => Protect(System.Text.Encoding.UTF8.GetBytes(text));

    string Unprotect(string stored) =>
        IsProtected(stored) ? System.Text.Encoding.UTF8.GetString(UnprotectToUtf8(stored)) : stored;

    static bool IsProtected(string stored) => stored.StartsWith(ProtectedPrefix, StringComparison.Ordinal);
}
