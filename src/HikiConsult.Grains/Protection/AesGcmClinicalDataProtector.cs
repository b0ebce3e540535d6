using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace HikiConsult.Grains.Protection;

/// <summary>
/// AES-256-GCM under the keys of a <see cref="DataKeyRing"/>. A value is <c>hc1.{keyId}.{base64(nonce ‖ ciphertext ‖ tag)}</c>
/// with a random 96-bit nonce per value; the key id is also authenticated (associated data), so a value cannot be
/// made to decrypt under another key's name.
/// </summary>
public sealed class AesGcmClinicalDataProtector(DataKeyRing keys) : IClinicalDataProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public string Protect(ReadOnlySpan<byte> utf8)
    {
        var key = keys.Current;
        var sealedLength = NonceSize + utf8.Length + TagSize;
        var rented = ArrayPool<byte>.Shared.Rent(sealedLength);
        try
        {
            var sealedValue = rented.AsSpan(0, sealedLength);
            var nonce = sealedValue[..NonceSize];
            RandomNumberGenerator.Fill(nonce);
            using (var aes = new AesGcm(key.Material, TagSize))
            {
                aes.Encrypt(nonce, utf8, sealedValue.Slice(NonceSize, utf8.Length), sealedValue[^TagSize..], AssociatedData(key.Id));
            }

            return string.Concat(IClinicalDataProtector.ProtectedPrefix, key.Id, ".", Convert.ToBase64String(sealedValue));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public byte[] UnprotectToUtf8(string stored)
    {
        if (!IClinicalDataProtector.IsProtected(stored))
        {
            // Written before encryption at rest.
            return Encoding.UTF8.GetBytes(stored);
        }

        var rest = stored.AsSpan(IClinicalDataProtector.ProtectedPrefix.Length);
        var dot = rest.IndexOf('.');
        if (dot <= 0)
        {
            throw new CryptographicException("A protected value has no key id.");
        }

        var keyId = rest[..dot].ToString();
        var key = keys.Find(keyId) ?? throw new CryptographicException($"Data key {keyId} is not in the key directory.");
        var sealedValue = Convert.FromBase64String(rest[(dot + 1)..].ToString());
        if (sealedValue.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("A protected value is too short.");
        }

        var plain = new byte[sealedValue.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key.Material, TagSize);
        aes.Decrypt(sealedValue.AsSpan(0, NonceSize), sealedValue.AsSpan(NonceSize, plain.Length), sealedValue.AsSpan(sealedValue.Length - TagSize), plain, AssociatedData(key.Id));
        return plain;
    }

    private static byte[] AssociatedData(string keyId) => Encoding.ASCII.GetBytes(keyId);
}
