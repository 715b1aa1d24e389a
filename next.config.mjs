// Next.js configuration. Streams must leave the server as they are produced, so response
// compression is off (a compressor buffers) and the embedded database's WASM build is loaded
// from node_modules rather than bundled.
/** @type {import('next').NextConfig} */
const nextConfig = {
  compress: false,
  poweredByHeader: false,
  serverExternalPackages: ['@electric-sql/pglite', 'postgres'],
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
