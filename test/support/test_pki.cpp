// A throw-away CA and leaf certificate for TLS tests, with OpenSSL's C API only.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>

#include "test/support/local_server.hpp"

namespace mc::test {
namespace {

template <class T, void (*F)(T*)>
struct deleter {
  void operator()(T* p) const { F(p); }
};
using key_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY, EVP_PKEY_free>>;
using cert_ptr = std::unique_ptr<X509, deleter<X509, X509_free>>;
using bio_ptr = std::unique_ptr<BIO, deleter<BIO, BIO_free_all>>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what);
}

key_ptr make_key() {
  key_ptr key(EVP_EC_gen("P-256"));
  check(key != nullptr, "EC key generation failed");
  return key;
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  check(ext != nullptr, "bad extension");
  const int added = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  check(added == 1, "cannot add extension");
}

cert_ptr make_cert(EVP_PKEY* key, const std::string& cn, X509* issuer, long from_s = -3600,
                   long until_s = 24 * 3600) {
  cert_ptr cert(X509_new());
  check(cert != nullptr, "X509_new failed");
  X509_set_version(cert.get(), 2);  // v3
  unsigned char serial[16];
  check(RAND_bytes(serial, sizeof serial) == 1, "no random serial");
  serial[0] &= 0x7f;  // positive
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  check(bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())), "bad serial");
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), from_s);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), until_s);
  check(X509_set_pubkey(cert.get(), key) == 1, "cannot set public key");
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("miner-controller tests"), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
  return cert;
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string pem(X509* cert) {
  bio_ptr bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_X509(bio.get(), cert) == 1, "cannot write certificate");
  return bio_text(bio.get());
}

std::string pem(EVP_PKEY* key) {
  bio_ptr bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "cannot write key");
  return bio_text(bio.get());
}

}  // namespace

test_pki make_test_pki(const std::vector<std::string>& dns_names,
                       const std::vector<std::string>& ip_addresses, const pki_options& options) {
  auto ca_key = make_key();
  auto ca = make_cert(ca_key.get(), "miner-controller test CA", nullptr);
  add_ext(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_ext(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
  check(X509_sign(ca.get(), ca_key.get(), EVP_sha256()) > 0, "CA signing failed");

  auto leaf_key = make_key();
  const std::string cn = !dns_names.empty()      ? dns_names.front()
                         : !ip_addresses.empty() ? ip_addresses.front()
                                                 : "leaf";
  auto leaf = make_cert(leaf_key.get(), cn, options.self_signed_leaf ? nullptr : ca.get(),
                        options.valid_from_s, options.valid_until_s);
  X509* issuer = options.self_signed_leaf ? leaf.get() : ca.get();
  EVP_PKEY* signer = options.self_signed_leaf ? leaf_key.get() : ca_key.get();
  std::string san;
  for (const auto& d : dns_names) san += (san.empty() ? "DNS:" : ",DNS:") + d;
  for (const auto& ip : ip_addresses) san += (san.empty() ? "IP:" : ",IP:") + ip;
  add_ext(leaf.get(), issuer, NID_basic_constraints, "critical,CA:FALSE");
  add_ext(leaf.get(), issuer, NID_key_usage, "critical,digitalSignature");
  add_ext(leaf.get(), issuer, NID_ext_key_usage, "serverAuth");
  if (!options.self_signed_leaf)
    add_ext(leaf.get(), issuer, NID_authority_key_identifier, "keyid:always");
  if (!san.empty()) add_ext(leaf.get(), issuer, NID_subject_alt_name, san);
  check(X509_sign(leaf.get(), signer, EVP_sha256()) > 0, "leaf signing failed");
  return {pem(ca.get()), pem(leaf.get()), pem(leaf_key.get())};
}

std::string write_temp_file(const std::string& name, const std::string& text) {
  static std::atomic<unsigned> counter{0};
  const auto path =
      std::filesystem::temp_directory_path() /
      ("mc_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + name);
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
  return path.string();
}

temp_file::~temp_file() {
  std::error_code ec;
  std::filesystem::remove(path, ec);
}

}  // namespace mc::test
