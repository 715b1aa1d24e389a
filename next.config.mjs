// Next.js configuration. Streams must leave the server as they are produced, so response
// compression is off (a compressor buffers) and the embedded database's WASM build is loaded
// from node_modules rather than bundled.
//
// The Content-Security-Policy (a fresh script nonce per response) and HSTS (when the public URL
// is https) are set per request by proxy.ts; these headers never change.
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
  compress: false,
  poweredByHeader: false,
  serverExternalPackages: ['@electric-sql/pglite', 'postgres'],
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
