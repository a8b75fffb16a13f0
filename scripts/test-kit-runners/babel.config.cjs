// babel-jest's usual setup in a CommonJS project: ES syntax compiled for the running Node.
module.exports = { presets: [["@babel/preset-env", { targets: { node: "current" } }]] };
