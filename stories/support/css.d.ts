// Vite bundles imported stylesheets; TypeScript only needs to know the import is intended.
declare module '*.css'
