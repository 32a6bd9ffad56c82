using ECase.Domain.Cases;
using ECase.Domain.Common;

namespace ECase.Domain.Signatures;

// Signatures on document versions of a case (Signatur / Zeichnung). These events live in the case stream, like documents.

/// <summary>Where a verified signature came from.</summary>
public enum SignatureFormat
{
    /// <summary>CMS/CAdES signature in a separate file (.p7s) over the version's bytes.</summary>
    CadesDetached,

    /// <summary>CMS that carries the signed document inside it (.p7m), either the version itself or a file beside it.</summary>
    CmsEnveloped,

    /// <summary>A signature inside a PDF (/Sig dictionary with /ByteRange), PAdES or adbe.pkcs7.detached.</summary>
    Pades,
}

/// <summary>The overall result, named as in ETSI EN 319 102-1: TOTAL-PASSED, TOTAL-FAILED, INDETERMINATE.</summary>
public enum SignatureOutcome { Passed, Failed, Indeterminate }

/// <summary>What the evidence supports. QES only when the certificate says so in its QC statements.</summary>
public enum SignatureLevel
{
    /// <summary>No valid signature the evidence can vouch for.</summary>
    None,

    /// <summary>Fortgeschrittene elektronische Signatur: mathematically valid, certificate valid at signing time, chain trusted.</summary>
    AdES,

    /// <summary>AdES with a qualified certificate (QcCompliance) but no statement that the key sits on a QSCD.</summary>
    AdESQualifiedCertificate,

    /// <summary>Qualifizierte elektronische Signatur: qualified certificate (QcCompliance) whose key is on a QSCD (QcSSCD).</summary>
    QES,
}

/// <summary>Where the signing time comes from: a signed attribute the signer claims, or an RFC 3161 timestamp.</summary>
public enum SigningTimeSource { None, SignedAttribute, Timestamp }

/// <summary>
/// The result of verifying one signature. <see cref="Reason"/> is a stable code (ETSI sub-indication style, e.g.
/// <c>HASH_FAILURE</c>, <c>SIG_CRYPTO_FAILURE</c>, <c>FORMAT_FAILURE</c>, <c>OUT_OF_BOUNDS_NO_POE</c>,
/// <c>NO_CERTIFICATE_CHAIN_FOUND</c>); null when the outcome is Passed.
/// </summary>
public sealed record SignatureCheck(
    SignatureFormat Format,
    SignatureOutcome Outcome,
    string? Reason,
    string? Detail,
    string? SignerSubject,
    string? Issuer,
    string? SerialNumber,
    string? CertificateThumbprint,
    DateTimeOffset? SigningTime,
    SigningTimeSource SigningTimeSource,
    string? DigestAlgorithm,
    string? SignatureAlgorithm,
    bool? CertificateValidAtSigningTime,
    bool? ChainTrusted,
    IReadOnlyList<string> ChainStatus,
    IReadOnlyList<string> QcStatements,
    SignatureLevel Level)
{
    /// <summary>PAdES only: whether the signed byte ranges cover the whole file (false: something was appended after signing).</summary>
    public bool? CoversWholeDocument { get; init; }

    public static SignatureCheck Unreadable(SignatureFormat format, string reason, string detail) =>
        new(format, SignatureOutcome.Failed, reason, detail, null, null, null, null, null, SigningTimeSource.None, null, null, null, null, [], [], SignatureLevel.None);
}

/// <summary>
/// A signature on a document version was verified and the result recorded. An invalid or tampered signature is recorded
/// too (Outcome Failed with its reason): it is a fact about the incoming document, not an error of the request.
/// </summary>
/// <param name="Signature">The signature file (.p7s/.p7m) in the content store; null when the signature sits inside the version (PAdES, enveloped).</param>
/// <param name="Index">Which signature of the version (1-based, in file order) when a PDF holds several.</param>
public sealed record SignatureVerified(
    Guid CaseId, Guid DocumentId, int Version, Guid SignatureId, int Index, ContentRef? Signature, SignatureCheck Result,
    Actor VerifiedBy, DateTimeOffset VerifiedAt);

/// <summary>Mitzeichnung requested: the named clerks are asked to co-sign this version of the document.</summary>
public sealed record CoSignRequested(
    Guid CaseId, Guid DocumentId, int Version, IReadOnlyList<string> CoSigners, Actor RequestedBy, DateTimeOffset RequestedAt);

/// <summary>A requested clerk co-signed the version (mitgezeichnet).</summary>
public sealed record CoSigned(Guid CaseId, Guid DocumentId, int Version, string? Comment, Actor CoSignedBy, DateTimeOffset CoSignedAt);

/// <summary>A requested clerk declined to co-sign, with the reason.</summary>
public sealed record CoSignDeclined(Guid CaseId, Guid DocumentId, int Version, string Comment, Actor DeclinedBy, DateTimeOffset DeclinedAt);

/// <summary>
/// Schlusszeichnung (final sign-off) of one document version: it freezes that version — a later version of the document is
/// not signed off and needs a sign-off of its own. <see cref="ServerSignature"/> is an optional CMS signature by the
/// system's key over <see cref="Statement"/>, so the sign-off can be checked outside ECase.
/// </summary>
public sealed record DocumentSignedOff(
    Guid CaseId, Guid DocumentId, int Version, string Sha256, IReadOnlyList<string> CoSigners, string? Comment, string Statement,
    ContentRef? ServerSignature, Actor SignedOffBy, DateTimeOffset SignedOffAt);
