"""Issued documents: PAdES signatures on PDFs, their verification, and the signed data
behind the printed verification code."""
